package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orch.config.ClientConfig;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's way to orchd: HTTP over the API's unix socket with a small Vert.x instance (java.net.http
 * cannot reach unix sockets and is slow to load). Blocking calls, one short-lived client per command.
 */
public final class ApiClient implements AutoCloseable {
    // modules registered by hand: findAndRegisterModules scans every jar's service files on each call
    static final ObjectMapper JSON = new ObjectMapper()
            .registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final long TIMEOUT_SECONDS = 30;

    private final SocketAddress server;
    private final String hostHeader;
    private final String address;
    private final String authorization;
    private final Vertx vertx;
    private final HttpClient http;

    private ApiClient(SocketAddress server, String address, String authorization) {
        this(server, "localhost", address, authorization, new HttpClientOptions());
    }

    private ApiClient(SocketAddress server, String hostHeader, String address, String authorization, HttpClientOptions options) {
        this.server = server;
        this.hostHeader = hostHeader;
        this.address = address;
        this.authorization = authorization;
        this.vertx = Vertx.vertx(new VertxOptions()
                .setPreferNativeTransport(true)
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1)
                .setBlockedThreadCheckInterval(TimeUnit.HOURS.toMillis(1)));
        this.http = vertx.createHttpClient(options.setConnectTimeout(5_000));
    }

    /**
     * Connects as the config says, without flags: the unix socket when this user may use it, else the TCP
     * listener (when enabled) with the bearer token from the token file. Fails fast with the address tried.
     */
    public static ApiClient connect() {
        RemoteServer remote = RemoteServer.resolve(System.getenv());
        if (remote != null) {
            return remote(remote);
        }
        ClientConfig c = ClientConfig.load();
        Path socket = c.apiSocket();
        boolean socketUsable = Files.exists(socket) && Files.isWritable(socket);
        if (!socketUsable && c.tcpEnabled()) {
            String host = c.tcpHost().equals("0.0.0.0") || c.tcpHost().equals("::") ? "127.0.0.1" : c.tcpHost();
            String token;
            try {
                token = Files.readString(c.tokenFile()).strip();
            } catch (java.nio.file.AccessDeniedException e) {
                throw new CliException("cannot read the API token " + c.tokenFile() + ": permission denied; run as root or as a member of group orch");
            } catch (IOException e) {
                throw new CliException("cannot read the API token " + c.tokenFile() + ": " + Cli.oneLine(e) + "; is orchd running with orch.api.tcp.enabled=true?");
            }
            return new ApiClient(SocketAddress.inetSocketAddress(c.tcpPort(), host), "http://" + host + ":" + c.tcpPort(), "Bearer " + token);
        }
        if (!Files.exists(socket)) {
            throw new CliException("cannot reach orchd at unix:" + socket + ": no such socket; is orchd running?"
                    + " (start it with 'systemctl start orchd', or set ORCH_STATE_DIR / ORCH_CONFIG to the daemon's)");
        }
        return new ApiClient(SocketAddress.domainSocketAddress(socket.toString()), "unix:" + socket, null);
    }

    /**
     * A remote orchd ({@code --server} or a context): its TCP listener with the bearer token from the token file; over
     * https the server's certificate and host name are verified against the CA file (else the JDK's trusted CAs).
     */
    private static ApiClient remote(RemoteServer r) {
        if (r.tokenFile() == null) {
            throw new CliException("no token for " + r.url() + ": give --token-file FILE or set one in the context"
                    + " (orchctl config set-context NAME --token-file FILE)");
        }
        String token;
        try {
            token = Files.readString(r.tokenFile()).strip();
        } catch (IOException e) {
            throw new CliException("cannot read the API token " + r.tokenFile() + ": " + Cli.oneLine(e));
        }
        HttpClientOptions options = new HttpClientOptions();
        if (r.tls()) {
            options.setSsl(true).setVerifyHost(true);
            if (r.certificateAuthority() != null) {
                if (!Files.isReadable(r.certificateAuthority())) {
                    throw new CliException("cannot read the certificate authority " + r.certificateAuthority());
                }
                options.setTrustOptions(new PemTrustOptions().addCertPath(r.certificateAuthority().toString()));
            }
        }
        return new ApiClient(SocketAddress.inetSocketAddress(r.port(), r.host()), r.host(), r.url(), "Bearer " + token, options);
    }

    public record Response(int status, String contentType, Buffer body) {}

    public Response call(HttpMethod method, String path, String contentType, Buffer body) {
        RequestOptions opts = new RequestOptions()
                .setServer(server)
                .setHost(hostHeader)
                .setPort(server.isInetSocket() ? server.port() : 80)
                .setMethod(method)
                .setURI(path);
        if (contentType != null) {
            opts.putHeader("Content-Type", contentType);
        }
        opts.putHeader("Accept", "application/json");
        if (authorization != null) {
            opts.putHeader("Authorization", authorization);
        }
        try {
            return http.request(opts)
                    .compose(req -> body == null ? req.send() : req.send(body))
                    .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), resp.getHeader("Content-Type"), b)))
                    .toCompletionStage()
                    .toCompletableFuture()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new CliException("cannot reach orchd at " + address + ": " + Cli.oneLine(c) + "; is orchd running?", c);
        } catch (TimeoutException e) {
            throw new CliException("orchd at " + address + " did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        }
    }

    /** POSTs {@code body} as JSON (none when null) and decodes a 2xx answer. */
    public <T> T post(String path, Object body, Class<T> type) {
        try {
            Buffer b = body == null ? null : Buffer.buffer(JSON.writeValueAsBytes(body));
            return decode(ok(call(HttpMethod.POST, path, body == null ? null : "application/json", b)), type);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("cannot encode the request: " + e.getMessage(), e);
        }
    }

    public <T> T get(String path, Class<T> type) {
        return decode(ok(call(HttpMethod.GET, path, null, null)), type);
    }

    public <T> T get(String path, TypeReference<T> type) {
        Response r = ok(call(HttpMethod.GET, path, null, null));
        try {
            return JSON.readValue(r.body().getBytes(), type);
        } catch (IOException e) {
            throw new CliException("orchd sent an unreadable answer to " + path + ": " + e.getMessage(), e);
        }
    }

    /** Non-2xx answers become one line: the problem's detail when orchd sent problem JSON. */
    Response ok(Response r) {
        if (r.status() / 100 == 2) {
            return r;
        }
        throw new CliException(problemMessage(r));
    }

    /** "orchd answered STATUS: detail", then the problem's {@code errors} (the loader's FILE:LINE:COL lines), one per line. */
    static String problemMessage(Response r) {
        String detail = r.body().toString();
        StringBuilder errors = new StringBuilder();
        try {
            var node = JSON.readTree(r.body().getBytes());
            if (node.hasNonNull("detail")) {
                detail = node.get("detail").asText();
            } else if (node.hasNonNull("title")) {
                detail = node.get("title").asText();
            }
            node.path("errors").forEach(e -> errors.append('\n').append(e.asText()));
        } catch (IOException ignored) {
            // not JSON: show the text as it came
        }
        return "orchd answered " + r.status() + ": " + detail.strip() + errors;
    }

    private <T> T decode(Response r, Class<T> type) {
        try {
            return JSON.readValue(r.body().getBytes(), type);
        } catch (IOException e) {
            throw new CliException("orchd sent an unreadable answer: " + e.getMessage(), e);
        }
    }

    /**
     * Waits for the event loop to stop: at exit the JVM waits up to ~300 ms for threads still in native code
     * (an event loop in epoll_wait), which a CLI call would pay every time.
     */
    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(2, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // exiting anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
