package dev.sluice.server;

import dev.sluice.auth.SigV4Verifier;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A Vert.x request as SigV4 signed it, for the verifier: raw path and query, every value of every header. */
public final class SignedRequests {
    private SignedRequests() {}

    public static SigV4Verifier.Request of(HttpServerRequest request, byte[] body) {
        Map<String, List<String>> headers = new HashMap<>();
        request.headers()
                .forEach(header -> headers.computeIfAbsent(
                                header.getKey().toLowerCase(Locale.ROOT), name -> new ArrayList<>(1))
                        .add(header.getValue()));
        if (!headers.containsKey("host") && request.authority() != null) {
            // HTTP/2 carries the host as :authority, which the client signed as "host".
            headers.put("host", List.of(request.authority().toString()));
        }
        return new SigV4Verifier.Request(request.method().name(), request.path(), request.query(), headers, body);
    }
}
