package dev.sluice.deploy;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.SluiceConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.quarkus.runtime.configuration.DurationConverter;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.config.ConfigMappings;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay under {@code k8s/overlays}, rendered by {@code kubectl kustomize} and read into fabric8's Kubernetes
 * model with unknown fields refused, checked against Sluice itself: the probe and scrape paths answer on this running
 * server, the ports are Sluice's, each environment variable is a setting Sluice reads and its value one it accepts,
 * the data volume is mounted where the settings put the store, the heap fits the memory limit, the grace period
 * covers the server's shutdown timeout and the startup probe a large journal's read-back, the image is the one the
 * image build makes. Skipped, saying so, where kubectl is not installed.
 */
@QuarkusTest
class KubernetesManifestsTest {
    /** The image build's contract: its name, user and the JVM heap share of the container's memory. */
    private static final String IMAGE = "sluice";

    private static final long IMAGE_USER = 10001;
    private static final int IMAGE_MAX_RAM_PERCENTAGE = 75;

    /** Memory the JVM needs besides the heap: metaspace, code cache, thread stacks, I/O buffers. */
    private static final long NON_HEAP_BYTES = 128L << 20;

    /** What the JVM does after Quarkus' shutdown timeout before it exits: the store's last fsync and close. */
    private static final Duration STOP_MARGIN = Duration.ofSeconds(5);

    /**
     * The longest start the startup probe must wait for: reading back the journal of the largest backlog the base's
     * heap holds, about a million messages. bench/notes.md measured 7.5 s to ready for a million 1 KiB messages (1.2
     * GiB of journal, two reader threads) on 2 cores, about 15 s of CPU, and the JVM's start takes about 6 s of CPU:
     * at the base's CPU request of 250m on a node that gives no more, about 85 s. Twice that, rounded up.
     */
    private static final Duration LARGE_JOURNAL_START = Duration.ofMinutes(3);

    /**
     * The standard Quarkus datasource settings the PostgreSQL mode reads ({@code server.PostgresBackend}), as
     * environment variables.
     */
    private static final Set<String> DATASOURCE_SETTINGS =
            Set.of("QUARKUS_DATASOURCE_REACTIVE_URL", "QUARKUS_DATASOURCE_USERNAME", "QUARKUS_DATASOURCE_PASSWORD");

    /** Secret settings: never environment variables, which every process the container starts inherits. */
    private static final Set<String> SECRET_SETTINGS = Set.of("SLUICE_TENANTS", "SLUICE_ADMIN_TOKEN");

    /** Rendered once for all the checks. */
    private static List<RenderedOverlay> rendered;

    @BeforeAll
    static void kubectlInstalled() throws InterruptedException {
        boolean installed;
        try {
            installed = new ProcessBuilder("kubectl", "version", "--client")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            installed = false;
        }
        Assumptions.assumeTrue(installed, "kubectl is not installed: the k8s/ overlays are not rendered or checked");
    }

    static synchronized List<RenderedOverlay> overlays() throws IOException, InterruptedException {
        if (rendered == null) {
            kubectlInstalled();
            Path dir = Files.createTempDirectory("sluice-k8s");
            var all = new ArrayList<RenderedOverlay>();
            for (String overlay : RenderedOverlay.overlays()) {
                all.add(RenderedOverlay.render(overlay, Files.createDirectories(dir.resolve(overlay))));
            }
            rendered = List.copyOf(all);
        }
        return rendered;
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyFieldIsOneTheKubernetesModelKnows(RenderedOverlay overlay) {
        assertThat(overlay.resources()).isNotEmpty();
        for (var resource : overlay.resources()) {
            assertThat(UnknownFields.in(resource))
                    .as("%s %s", resource.getKind(), resource.getMetadata().getName())
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void probesAndScrapeTargetAreSluiceEndpointsOnItsPort(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        Container sluice = sluiceContainer(deployment);
        int port = sluicePort();
        assertThat(sluice.getPorts())
                .extracting(ContainerPort::getContainerPort)
                .containsExactly(port);

        for (Probe probe : List.of(sluice.getStartupProbe(), sluice.getLivenessProbe(), sluice.getReadinessProbe())) {
            HTTPGetAction get = probe.getHttpGet();
            assertThat(containerPort(sluice, get.getPort())).isEqualTo(port);
            given().get(get.getPath()).then().statusCode(200);
        }

        Map<String, String> annotations =
                deployment.getSpec().getTemplate().getMetadata().getAnnotations();
        assertThat(annotations).containsEntry("prometheus.io/scrape", "true");
        assertThat(annotations).containsEntry("prometheus.io/port", String.valueOf(port));
        given().get(annotations.get("prometheus.io/path")).then().statusCode(200);

        Service service = overlay.one(Service.class);
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(p -> {
            assertThat(containerPort(sluice, p.getTargetPort())).isEqualTo(port);
            assertThat(p.getPort()).isEqualTo(port);
        });
        assertThat(podLabels(deployment)).containsAllEntriesOf(service.getSpec().getSelector());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePodHasTimeToStopGracefullyAndToReadALargeJournalBack(RenderedOverlay overlay) {
        PodSpec pod = overlay.one(Deployment.class).getSpec().getTemplate().getSpec();
        Duration shutdown = DurationConverter.parseDuration(packagedSetting("quarkus.shutdown.timeout"))
                .plus(Optional.ofNullable(packagedSetting("quarkus.shutdown.delay"))
                        .map(DurationConverter::parseDuration)
                        .orElse(Duration.ZERO));
        assertThat(Duration.ofSeconds(pod.getTerminationGracePeriodSeconds()))
                .as("terminationGracePeriodSeconds: SIGKILL only after Sluice's own shutdown timeout")
                .isGreaterThanOrEqualTo(shutdown.plus(STOP_MARGIN));

        Probe startup = sluiceContainer(overlay.one(Deployment.class)).getStartupProbe();
        // Kubernetes' defaults where a field is left out: no initial delay, every 10 s, 3 failures.
        Duration allowed = Duration.ofSeconds(Optional.ofNullable(startup.getInitialDelaySeconds())
                        .orElse(0)
                + (long) Optional.ofNullable(startup.getPeriodSeconds()).orElse(10)
                        * Optional.ofNullable(startup.getFailureThreshold()).orElse(3));
        assertThat(allowed).as("the startup probe's window").isGreaterThanOrEqualTo(LARGE_JOURNAL_START);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void everyEnvironmentVariableIsASettingSluiceReadsWithAValueItAccepts(RenderedOverlay overlay) {
        Map<String, String> env = environment(overlay);
        Set<String> known =
                ConfigMappings.getProperties(new ConfigMappings.ConfigClass(SluiceConfig.class, "sluice"))
                        .keySet()
                        .stream()
                        .filter(property -> !property.endsWith("[*]"))
                        .map(KubernetesManifestsTest::envName)
                        .collect(Collectors.toCollection(java.util.HashSet::new));
        known.addAll(DATASOURCE_SETTINGS);
        assertThat(env.keySet()).as("settings Sluice reads: %s", known).isSubsetOf(known);

        SluiceConfig settings = settings(env);
        assertThat(settings.dataDir()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void secretsAreFilesOfAMountedSecretNeverEnvironmentVariables(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container sluice = sluiceContainer(deployment);
        Map<String, String> env = environment(overlay);
        assertThat(env.keySet()).doesNotContainAnyElementsOf(SECRET_SETTINGS);
        SluiceConfig settings = settings(env);
        if (settings.auth().mode() != SluiceConfig.AuthMode.sigv4) {
            return;
        }
        for (var file : List.of(settings.tenantsFile(), settings.admin().tokenFile())) {
            Path path = Path.of(file.orElseThrow(() -> new AssertionError("sigv4 needs the tenants and admin token")));
            Volume volume = volumeMountedAt(pod, sluice, path.getParent().toString());
            assertThat(volume.getSecret())
                    .as("%s: the volume of a Secret", path)
                    .isNotNull();
            int mode = volume.getSecret().getDefaultMode();
            assertThat(mode & 0040).as("readable by the pod's fsGroup").isNotZero();
            assertThat(mode & 0007).as("readable by no one else").isZero();
            assertThat(overlay.named(Secret.class, volume.getSecret().getSecretName())
                            .getData())
                    .containsKey(path.getFileName().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theStoreIsOnTheClaimedVolumeWrittenByOnePod(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container sluice = sluiceContainer(deployment);
        SluiceConfig settings = settings(environment(overlay));
        if (settings.storage() == SluiceConfig.Storage.postgres) {
            return; // replicas that share PostgreSQL keep nothing on a volume
        }

        Volume volume = volumeMountedAt(pod, sluice, settings.dataDir());
        assertThat(volume.getPersistentVolumeClaim())
                .as("the data dir's volume")
                .isNotNull();
        PersistentVolumeClaim claim = overlay.named(
                PersistentVolumeClaim.class, volume.getPersistentVolumeClaim().getClaimName());
        assertThat(claim.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");

        // The file stores have a single writer: one pod, stopped before the next starts.
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("Recreate");
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void replicasOnPostgresShareTheDatabaseOfASecretAndStayAvailable(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        SluiceConfig settings = settings(environment(overlay));
        List<PodDisruptionBudget> budgets = overlay.all(PodDisruptionBudget.class);
        if (settings.storage() != SluiceConfig.Storage.postgres) {
            assertThat(budgets)
                    .as("one pod on its own volume: a budget would block every drain")
                    .isEmpty();
            return;
        }
        assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(deployment.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
                .as("no pod stops before its successor is ready")
                .isEqualTo(new IntOrString(0));
        assertThat(overlay.all(PersistentVolumeClaim.class))
                .as("replicas keep no state")
                .isEmpty();
        assertThat(deployment.getSpec().getTemplate().getSpec().getVolumes())
                .allSatisfy(
                        volume -> assertThat(volume.getPersistentVolumeClaim()).isNull());

        // The datasource comes from a Secret, whole: none of it from the ConfigMap or a literal.
        Container sluice = sluiceContainer(deployment);
        Map<String, String> fromSecrets = new LinkedHashMap<>();
        for (EnvFromSource source : sluice.getEnvFrom()) {
            if (source.getSecretRef() != null) {
                fromSecrets.putAll(
                        overlay.named(Secret.class, source.getSecretRef().getName())
                                .getData());
            }
        }
        assertThat(fromSecrets.keySet()).containsAll(DATASOURCE_SETTINGS);
        assertThat(sluice.getEnv()).extracting(EnvVar::getName).doesNotContainAnyElementsOf(DATASOURCE_SETTINGS);
        assertThat(environment(overlay).get("QUARKUS_DATASOURCE_REACTIVE_URL")).startsWith("postgresql://");

        // One budget, over exactly these pods, that lets a drain proceed yet keeps one pod serving.
        assertThat(budgets).singleElement().satisfies(budget -> {
            assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(podLabels(deployment));
            int replicas = deployment.getSpec().getReplicas();
            int unavailable = budget.getSpec().getMaxUnavailable() != null
                    ? budget.getSpec().getMaxUnavailable().getIntVal()
                    : replicas - budget.getSpec().getMinAvailable().getIntVal();
            assertThat(unavailable).isBetween(1, replicas - 1);
        });
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void thePodRunsLockedDown(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        Container sluice = sluiceContainer(deployment);

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(IMAGE_USER);
        assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(IMAGE_USER);
        assertThat(pod.getSecurityContext().getFsGroup())
                .as("the volume writable by the user")
                .isEqualTo(IMAGE_USER);
        assertThat(sluice.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(sluice.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(sluice.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(pod.getEnableServiceLinks())
                .as("a Service named sluice would inject SLUICE_* variables")
                .isFalse();

        assertThat(volumeMountedAt(pod, sluice, "/tmp").getEmptyDir())
                .as("a read-only root needs a writable /tmp")
                .isNotNull();
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theHeapFitsTheMemoryLimit(RenderedOverlay overlay) {
        Container sluice = sluiceContainer(overlay.one(Deployment.class));
        Quantity limit = sluice.getResources().getLimits().get("memory");
        assertThat(limit).as("memory limit").isNotNull();
        assertThat(sluice.getResources().getRequests().get("memory"))
                .as("memory request = limit: the heap is sized from the limit")
                .isEqualTo(limit);
        long limitBytes = Quantity.getAmountInBytes(limit).longValueExact();
        long heapBytes = limitBytes * IMAGE_MAX_RAM_PERCENTAGE / 100;
        assertThat(limitBytes - heapBytes).isGreaterThanOrEqualTo(NON_HEAP_BYTES);
        assertThat(heapBytes).isGreaterThanOrEqualTo(256L << 20);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void theImageIsTheOneTheImageBuildMakes(RenderedOverlay overlay) {
        String image = sluiceContainer(overlay.one(Deployment.class)).getImage();
        int colon = image.lastIndexOf(':');
        assertThat(colon).as(image).isGreaterThan(image.lastIndexOf('/'));
        String repository = image.substring(0, colon);
        String tag = image.substring(colon + 1);
        assertThat(repository.substring(repository.lastIndexOf('/') + 1)).isEqualTo(IMAGE);
        String version = ConfigProvider.getConfig().getValue("quarkus.application.version", String.class);
        assertThat(tag).isIn("latest", version);
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void aNetworkPolicyGuardsSluiceAloneOnItsPort(RenderedOverlay overlay) {
        Deployment deployment = overlay.one(Deployment.class);
        List<NetworkPolicy> policies = overlay.all(NetworkPolicy.class);
        if (settings(environment(overlay)).auth().mode() == SluiceConfig.AuthMode.sigv4) {
            assertThat(policies).as("a shared Sluice admits only its clients").isNotEmpty();
        }
        Container sluice = sluiceContainer(deployment);
        int port = sluice.getPorts().getFirst().getContainerPort();
        for (NetworkPolicy policy : policies) {
            Map<String, String> selected = policy.getSpec().getPodSelector().getMatchLabels();
            assertThat(selected).as("an empty selector would cut off every pod").isNotEmpty();
            assertThat(podLabels(deployment)).containsAllEntriesOf(selected);
            assertThat(policy.getSpec().getIngress())
                    .flatExtracting(rule -> rule.getPorts())
                    .extracting(NetworkPolicyPort::getPort)
                    .allSatisfy(p -> assertThat(containerPort(sluice, p)).isEqualTo(port));
        }
    }

    /** The container's environment as Kubernetes builds it: envFrom sources in order, then env entries. */
    private static Map<String, String> environment(RenderedOverlay overlay) {
        Container sluice = sluiceContainer(overlay.one(Deployment.class));
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : sluice.getEnvFrom()) {
            if (source.getConfigMapRef() != null) {
                env.putAll(
                        overlay.named(ConfigMap.class, source.getConfigMapRef().getName())
                                .getData());
            }
            if (source.getSecretRef() != null) {
                overlay.named(Secret.class, source.getSecretRef().getName())
                        .getData()
                        .forEach((name, value) -> env.put(
                                name, new String(Base64.getMimeDecoder().decode(value), StandardCharsets.UTF_8)));
            }
        }
        for (EnvVar variable : sluice.getEnv()) {
            assertThat(variable.getValue())
                    .as("%s: a literal value", variable.getName())
                    .isNotNull();
            env.put(variable.getName(), variable.getValue());
        }
        return env;
    }

    /** Sluice's settings from that environment, read the way the server reads them; a bad value fails here. */
    private static SluiceConfig settings(Map<String, String> env) {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .withSources(new EnvConfigSource(env, EnvConfigSource.ORDINAL))
                .addDiscoveredConverters() // Quarkus' own: durations like 50ms, memory sizes
                .withMapping(SluiceConfig.class)
                .build();
        return config.getConfigMapping(SluiceConfig.class);
    }

    /** The port Sluice listens on as packaged (this test's server listens on a port of its own). */
    private static int sluicePort() {
        return Integer.parseInt(packagedSetting("quarkus.http.port"));
    }

    /** A setting as application.properties ships it (this test's own profile may change it), or null. */
    private static String packagedSetting(String key) {
        var properties = new Properties();
        try (var in = KubernetesManifestsTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty(key);
    }

    /** SmallRye's environment-variable form of a property name: non-alphanumerics to '_', upper case. */
    private static String envName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Container sluiceContainer(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> c.getName().equals("sluice"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container named sluice"));
    }

    private static Map<String, String> podLabels(Deployment deployment) {
        Map<String, String> labels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).isEqualTo(labels);
        return labels;
    }

    private static Volume volumeMountedAt(PodSpec pod, Container container, String path) {
        String name = container.getVolumeMounts().stream()
                .filter(m -> m.getMountPath().equals(path))
                .map(VolumeMount::getName)
                .findFirst()
                .orElseThrow(() -> new AssertionError("nothing is mounted at " + path));
        return pod.getVolumes().stream()
                .filter(v -> v.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }

    /** The container port a named or numbered port reference points at. */
    private static int containerPort(Container container, IntOrString port) {
        if (port.getIntVal() != null) {
            return port.getIntVal();
        }
        return container.getPorts().stream()
                .filter(p -> port.getStrVal().equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }
}
