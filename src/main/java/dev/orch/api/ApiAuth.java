package dev.orch.api;

import dev.orch.config.OrchConfig;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who may call the API. Over the unix socket the socket's directory permissions decide (the kernel checked them).
 * Over TCP ({@code orch.api.tcp.enabled}) every call needs {@code Authorization: Bearer <token>}, the token being
 * the content of {@code orch.api.token-file} (created at first start, mode 0640, group {@code orch} when that
 * group exists). Failing calls get 401 before any resource runs, so they change nothing. A repository's push
 * webhook ({@code POST /api/v1/sources/<name>/webhook}) is exempt: its HMAC signature, which its resource checks,
 * is its only credential (a git host holds the shared secret, never the API token).
 */
@ApplicationScoped
public class ApiAuth {
    static final String SOURCES = "/api/v1/sources/";
    static final String WEBHOOK = "/webhook";

    @Inject
    OrchConfig config;

    private volatile byte[] token;

    void start(@Observes StartupEvent ev) {
        if (config.api().tcp().enabled()) {
            token = loadOrCreate(config.api().tokenFile(), config.api().group()).getBytes(StandardCharsets.UTF_8);
        }
    }

    void routes(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(rc -> {
            HttpServerRequest req = rc.request();
            if (config.isRouter() != req.path().startsWith("/router/")) {
                // orch-router serves only its control API, orchd never serves it
                rc.response().setStatusCode(404).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .end("{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"not served by "
                                + (config.isRouter() ? "orch-router" : "orchd") + "\"}");
                return;
            }
            if (viaUnixSocket(req.localAddress()) || isWebhook(req.path())) {
                rc.next();
                return;
            }
            if (authorized(req.getHeader("Authorization"))) {
                rc.next();
                return;
            }
            rc.response().setStatusCode(401)
                    .putHeader("WWW-Authenticate", "Bearer realm=\"orch\"")
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .end("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"this API needs"
                            + " 'Authorization: Bearer <token>'; the token is in " + config.api().tokenFile() + " (readable by root and group " + config.api().group() + ")\"}");
        });
    }

    /** {@code /api/v1/sources/<name>/webhook}, exactly: a repository name (a-z, 0-9, -) and nothing else, no encoded characters. */
    static boolean isWebhook(String path) {
        if (path == null || !path.startsWith(SOURCES) || !path.endsWith(WEBHOOK)) {
            return false;
        }
        String name = path.substring(SOURCES.length(), path.length() - WEBHOOK.length());
        return !name.isEmpty() && name.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-');
    }

    static boolean viaUnixSocket(SocketAddress local) {
        return local != null && local.isDomainSocket();
    }

    boolean authorized(String header) {
        byte[] t = token;
        if (t == null || header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(header.substring(7).strip().getBytes(StandardCharsets.UTF_8), t);
    }

    /** The token file's content; a fresh random token when the file does not exist yet. */
    static String loadOrCreate(Path file, String group) {
        try {
            if (!Files.exists(file)) {
                byte[] b = new byte[32];
                new SecureRandom().nextBytes(b);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
                Files.deleteIfExists(tmp);
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r-----")));
                Files.writeString(tmp, HexFormat.of().formatHex(b) + "\n");
                OrchGroup.share(tmp, group, "rw-r-----"); // without the group: root only
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            String t = Files.readString(file).strip();
            if (t.length() < 16) {
                throw new IllegalStateException("the API token in " + file + " is shorter than 16 characters; delete the file and restart orchd to get a new one");
            }
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the API token file " + file + ": " + e.getMessage()
                    + "; check orch.api.token-file and its directory's permissions", e);
        }
    }
}
