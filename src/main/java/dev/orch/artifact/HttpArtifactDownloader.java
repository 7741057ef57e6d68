package dev.orch.artifact;

import dev.orch.manifest.Artifact;
import dev.orch.manifest.ArtifactAuth;
import dev.orch.state.ArtifactStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Downloads {@code https}, {@code http} and {@code file} artifact URLs with the JDK's HTTP client into the
 * {@link ArtifactStore}, which writes to a temporary file and renames it into place only after the sha256
 * matched. Retries are the control loop's: a failed download fails the reconcile pass, which is retried with
 * backoff (1 s doubling to 5 min) while the live color keeps serving.
 */
public final class HttpArtifactDownloader implements ArtifactDownloader {
    /** Redirects followed per download (GitHub release assets redirect once to their storage). */
    static final int MAX_REDIRECTS = 5;

    private final ArtifactStore store;
    private final DownloadSettings settings;
    private final DownloadMeter meter;
    private final HttpClient client;
    /** Closes a body that stopped arriving (the JDK client has no read timeout of its own). */
    private final ScheduledExecutorService stallGuard = Timers.daemon("artifact-stall-guard");

    public HttpArtifactDownloader(ArtifactStore store, DownloadSettings settings, DownloadMeter meter) throws IOException {
        this.store = store;
        this.settings = settings;
        this.meter = meter;
        HttpClient.Builder b = HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER); // followed here, so credentials never leave their host
        if (settings.caBundle().isPresent()) {
            b.sslContext(CaBundle.sslContext(settings.caBundle().get()));
        }
        settings.proxy().ifPresent(p -> b.proxy(ProxySelector.of(new InetSocketAddress(p.getHost(), p.getPort()))));
        this.client = b.build();
    }

    /** The JVM's trust store, no proxy, default timeouts, no metrics. */
    public static HttpArtifactDownloader withDefaults(ArtifactStore store) {
        try {
            return new HttpArtifactDownloader(store, DownloadSettings.defaults(), DownloadMeter.NONE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot happen without a CA bundle", e);
        }
    }

    @Override
    public Path download(Artifact artifact, String fileName) throws DownloadException {
        String url = artifact.url();
        if (store.has(artifact.sha256(), fileName)) {
            return store.pathFor(artifact.sha256(), fileName);
        }
        Counting counted = null;
        try {
            URI uri = URI.create(url);
            try (Counting in = new Counting("file".equals(uri.getScheme()) ? Files.newInputStream(Path.of(uri)) : open(uri, artifact.auth()))) {
                counted = in;
                long idle = settings.responseTimeout().toNanos();
                long period = Math.max(10, Math.min(1000, settings.responseTimeout().toMillis() / 4));
                ScheduledFuture<?> guard = stallGuard.scheduleAtFixedRate(() -> in.closeIfIdle(idle), period, period, TimeUnit.MILLISECONDS);
                try {
                    Path stored = store.importStream(in, artifact.sha256(), fileName);
                    meter.succeeded(in.count);
                    return stored;
                } finally {
                    guard.cancel(false);
                }
            }
        } catch (IOException | RuntimeException e) {
            long received = counted == null ? 0 : counted.count;
            meter.failed(received);
            throw failure(url, e, counted != null && counted.stalled, received);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            meter.failed(0);
            throw new DownloadException("download " + url + ": interrupted", e);
        }
    }

    private DownloadException failure(String url, Exception e, boolean stalled, long received) {
        if (e instanceof DownloadException d) {
            return d;
        }
        String why;
        if (stalled) {
            why = "no data for " + settings.responseTimeout().toSeconds() + " s after " + received + " bytes (stalled)";
        } else if (e instanceof ArtifactStore.DigestMismatch) {
            why = e.getMessage() + " (the download was discarded)";
        } else if (e instanceof NoSuchFileException) {
            why = "no such file";
        } else if (e instanceof SSLException) {
            why = "TLS failure: " + e.getMessage();
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new DownloadException("download " + url + ": " + why, e);
    }

    /** Longest index page or checksum file read. */
    static final int MAX_TEXT_BYTES = 1 << 20;

    /**
     * A small text (a channel's index page, a checksum file) from an http(s) or file URL; null when it does not
     * exist (404, no such file).
     */
    public String text(URI uri, ArtifactAuth auth) throws DownloadException {
        try (InputStream in = "file".equals(uri.getScheme()) ? Files.newInputStream(Path.of(uri)) : open(uri, auth)) {
            byte[] b = in.readNBytes(MAX_TEXT_BYTES + 1);
            if (b.length > MAX_TEXT_BYTES) {
                throw new DownloadException("read " + uri + ": longer than " + MAX_TEXT_BYTES + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        } catch (NotFound | NoSuchFileException e) {
            return null;
        } catch (DownloadException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(uri.toString(), e, false, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DownloadException("read " + uri + ": interrupted", e);
        }
    }

    /** A 404: for texts, the file is simply not there. */
    private static final class NotFound extends DownloadException {
        NotFound(String message) {
            super(message);
        }
    }

    /** The body of a 200 answer for {@code uri}, following redirects; credentials go only to the URL's own host. */
    private InputStream open(URI uri, ArtifactAuth auth) throws IOException, InterruptedException {
        String authorization = auth == null ? null : authorization(auth);
        URI at = uri;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder req = HttpRequest.newBuilder(at).timeout(settings.responseTimeout()).GET();
            if (authorization != null && sameOrigin(uri, at)) {
                req.header("Authorization", authorization);
            }
            HttpResponse<InputStream> r = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
            int status = r.statusCode();
            if (status == 200) {
                return r.body();
            }
            r.body().close();
            String location = r.headers().firstValue("Location").orElse(null);
            if (status / 100 == 3 && location != null) {
                URI next = at.resolve(location);
                if ("https".equals(at.getScheme()) && !"https".equals(next.getScheme())) {
                    throw new DownloadException("download " + uri + ": refused a redirect from https to " + next);
                }
                at = next;
                continue;
            }
            if (status == 404) {
                throw new NotFound("download " + uri + ": HTTP 404" + (at.equals(uri) ? "" : " from " + at));
            }
            String hint = status == 401 || status == 403 ? " (credentials " + (authorization == null ? "missing" : "refused") + ")" : "";
            throw new DownloadException("download " + uri + ": HTTP " + status + hint + (at.equals(uri) ? "" : " from " + at));
        }
        throw new DownloadException("download " + uri + ": more than " + MAX_REDIRECTS + " redirects");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getHost(), b.getHost()) && a.getPort() == b.getPort();
    }

    /** The Authorization header from the credentials file (read at every download, so a rotated file is used). */
    static String authorization(ArtifactAuth auth) throws DownloadException {
        String file = auth.bearerTokenFile() != null ? auth.bearerTokenFile() : auth.basicAuthFile();
        String secret;
        try {
            secret = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new DownloadException("cannot read the artifact credentials file " + file + ": " + e.getMessage(), e);
        }
        if (auth.bearerTokenFile() != null) {
            return "Bearer " + secret;
        }
        if (secret.indexOf(':') < 0) {
            throw new DownloadException("the artifact credentials file " + file + " must hold user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Counts the bytes read (for the metrics) and when the last ones came (for the stall guard). */
    private static final class Counting extends FilterInputStream {
        volatile long count;
        volatile long lastProgress = System.nanoTime();
        volatile boolean stalled;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progressed(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                progressed(n);
            }
            return n;
        }

        private void progressed(int n) {
            count += n;
            lastProgress = System.nanoTime();
        }

        void closeIfIdle(long idleNanos) {
            if (!stalled && System.nanoTime() - lastProgress > idleNanos) {
                stalled = true;
                try {
                    in.close(); // unblocks the read in progress, which then throws
                } catch (IOException ignored) {
                    // closing is all that is wanted
                }
            }
        }
    }
}
