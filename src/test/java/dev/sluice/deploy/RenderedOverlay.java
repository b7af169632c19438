package dev.sluice.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One overlay of {@code k8s/} as {@code kubectl kustomize} renders it (offline), read into fabric8's typed Kubernetes
 * model. The overlay is rendered from a copy of {@code k8s/} in which every {@code X.env.example} stands in for a
 * missing {@code X.env}, the file a cluster admin writes with the real secrets.
 *
 * <p>Only the kinds Sluice's manifests use are accepted: a new kind has to be added here, with the checks it needs.
 */
record RenderedOverlay(String name, List<HasMetadata> resources) {
    static final Path K8S = Path.of("k8s");

    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "ConfigMap", ConfigMap.class,
            "Deployment", Deployment.class,
            "NetworkPolicy", NetworkPolicy.class,
            "PersistentVolumeClaim", PersistentVolumeClaim.class,
            "PodDisruptionBudget", PodDisruptionBudget.class,
            "Secret", Secret.class,
            "Service", Service.class);

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** The overlays under k8s/overlays, by directory name. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
            return dirs.filter(Files::isDirectory)
                    .map(dir -> dir.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static RenderedOverlay render(String overlay, Path workDir) throws IOException, InterruptedException {
        Path k8s = workDir.resolve("k8s");
        copyWithExampleSecrets(K8S, k8s);
        Path output = workDir.resolve(overlay + ".yaml");
        Process kubectl = new ProcessBuilder(
                        "kubectl",
                        "kustomize",
                        k8s.resolve("overlays").resolve(overlay).toString())
                .redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String errors = new String(kubectl.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!kubectl.waitFor(60, TimeUnit.SECONDS) || kubectl.exitValue() != 0) {
            throw new AssertionError("kubectl kustomize " + overlay + " failed: " + errors);
        }
        List<HasMetadata> resources = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).readValues(output.toFile())) {
            while (documents.hasNext()) {
                JsonNode document = (JsonNode) documents.next();
                resources.add(typed(document));
            }
        }
        return new RenderedOverlay(overlay, List.copyOf(resources));
    }

    private static HasMetadata typed(JsonNode document) throws IOException {
        String kind = document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(kind);
        if (type == null) {
            throw new AssertionError("kind " + kind + " is not one RenderedOverlay knows; add it with its checks");
        }
        HasMetadata resource = YAML.treeToValue(document, type);
        if (!HasMetadata.getApiVersion(type).equals(resource.getApiVersion())) {
            throw new AssertionError(kind + " " + resource.getMetadata().getName() + " has apiVersion "
                    + resource.getApiVersion() + ", the model has " + HasMetadata.getApiVersion(type));
        }
        return resource;
    }

    private static void copyWithExampleSecrets(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        try (Stream<Path> files = Files.walk(to)) {
            for (Path example :
                    files.filter(f -> f.toString().endsWith(".env.example")).toList()) {
                Path secrets =
                        example.resolveSibling(example.getFileName().toString().replaceFirst("\\.example$", ""));
                if (!Files.exists(secrets)) {
                    Files.copy(example, secrets);
                }
            }
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> kind) {
        return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    <T extends HasMetadata> T one(Class<T> kind) {
        List<T> found = all(kind);
        if (found.size() != 1) {
            throw new AssertionError(name + ": expected one " + kind.getSimpleName() + ", found " + found.size());
        }
        return found.getFirst();
    }

    <T extends HasMetadata> T named(Class<T> kind, String name) {
        return all(kind).stream()
                .filter(r -> r.getMetadata().getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(this.name + ": no " + kind.getSimpleName() + " named " + name));
    }

    @Override
    public String toString() {
        return name;
    }
}
