package dev.sluice.compat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a server's {@code /q/metrics} in the Prometheus text format, read sample by sample. */
record PrometheusScrape(List<Sample> samples) {
    /** The account of open-mode callers whose key id is no account id (Sluice's sluice.account-id default). */
    static final String DEFAULT_ACCOUNT = "000000000000";

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line: the series name, its labels and its value. */
    record Sample(String name, Map<String, String> labels, double value) {}

    static PrometheusScrape of(URI endpoint) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> reply = http.send(
                    HttpRequest.newBuilder(endpoint.resolve("/q/metrics")).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (reply.statusCode() != 200) {
                throw new AssertionError("/q/metrics answered " + reply.statusCode());
            }
            return parse(reply.body());
        } catch (IOException e) {
            throw new AssertionError("cannot read /q/metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static PrometheusScrape parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.lines().toList()) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String name;
            Map<String, String> labels = new LinkedHashMap<>();
            if (brace >= 0 && brace < space) {
                name = line.substring(0, brace);
                Matcher matcher = LABEL.matcher(line.substring(brace, line.lastIndexOf('}') + 1));
                while (matcher.find()) {
                    labels.put(matcher.group(1), matcher.group(2));
                }
            } else {
                name = line.substring(0, line.indexOf(' '));
            }
            samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
        }
        return new PrometheusScrape(samples);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        samples.forEach(sample -> names.add(sample.name()));
        return names;
    }

    /** The samples of the series whose labels include all of {@code labels}. */
    List<Sample> find(String name, Map<String, String> labels) {
        return samples.stream()
                .filter(sample ->
                        sample.name().equals(name) && sample.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
    }

    /** The one value of the series with these labels; fails if there is none or more than one. */
    double value(String name, Map<String, String> labels) {
        List<Sample> found = find(name, labels);
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " samples of " + name + labels + ", expected one");
        }
        return found.getFirst().value();
    }

    /** The value for one queue of the default account. */
    double ofQueue(String name, String queue) {
        return value(name, Map.of("account", DEFAULT_ACCOUNT, "queue", queue));
    }
}
