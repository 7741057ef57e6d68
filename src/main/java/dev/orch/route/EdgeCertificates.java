package dev.orch.route;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;

import java.util.function.Function;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import org.jboss.logging.Logger;

/**
 * The shared HTTPS listener's key manager: at every handshake the SNI name picks the app serving that host and the
 * certificate that app's files hold now. A handshake without SNI, or for a host no app with TLS claims, gets no
 * certificate: the JDK then ends it with a {@code handshake_failure} alert, never another app's certificate.
 */
final class EdgeCertificates extends X509ExtendedKeyManager {
    private static final Logger LOG = Logger.getLogger(EdgeCertificates.class);

    /** One app's certificate files and what was last read from them. */
    static final class Files0 {
        final String app;
        final Path certificate;
        final Path key;
        private volatile PemFiles.KeyPair current;
        /** The pair before the last reload: a handshake that chose it between two calls still gets a matching chain and key. */
        private volatile PemFiles.KeyPair previous;
        private volatile int generation;
        private String stamp;

        Files0(String app, Path certificate, Path key) throws IOException {
            this.app = app;
            this.certificate = certificate;
            this.key = key;
            this.stamp = stamp();
            this.current = PemFiles.read(certificate, key);
        }

        PemFiles.KeyPair current() {
            return current;
        }

        /** The alias naming the current pair: {@code host#generation}. */
        String alias(String host) {
            return host + "#" + generation;
        }

        /** The pair an alias named (the current one or the one before it). */
        PemFiles.KeyPair of(int gen) {
            return gen == generation ? current : previous != null && gen == generation - 1 ? previous : current;
        }

        /** Re-reads the files when their size or modification time changed; a broken pair keeps the previous one. */
        synchronized void poll() {
            String now;
            try {
                now = stamp();
            } catch (IOException e) {
                return; // mid-rotation (file moved away): the next poll sees the new one
            }
            if (now.equals(stamp)) {
                return;
            }
            try {
                PemFiles.KeyPair next = PemFiles.read(certificate, key);
                previous = current;
                current = next;
                generation++;
                stamp = now;
                LOG.infof("route of app %s: certificate reloaded from %s", app, certificate);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("route of app %s: certificate files changed but cannot be read, keeping the previous one: %s", app, e.getMessage());
            }
        }

        private String stamp() throws IOException {
            return Files.getLastModifiedTime(certificate).toMillis() + ":" + Files.size(certificate) + ":"
                    + Files.getLastModifiedTime(key).toMillis() + ":" + Files.size(key);
        }
    }

    /** SNI host name -> the files of the app serving it, or null. */
    private final Function<String, Files0> byHost;

    EdgeCertificates(Function<String, Files0> byHost) {
        this.byHost = byHost;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        SSLSession s = engine == null ? null : engine.getHandshakeSession();
        if (!(s instanceof ExtendedSSLSession e)) {
            return null;
        }
        for (SNIServerName n : e.getRequestedServerNames()) {
            if (n instanceof SNIHostName h) {
                Files0 f = byHost.apply(h.getAsciiName());
                if (f != null && f.current().key().getAlgorithm().equals(keyType)) {
                    return f.alias(h.getAsciiName());
                }
            }
        }
        return null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null; // the listeners use engines only
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        PemFiles.KeyPair p = pair(alias);
        return p == null ? null : p.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        PemFiles.KeyPair p = pair(alias);
        return p == null ? null : p.key();
    }

    private PemFiles.KeyPair pair(String alias) {
        int hash = alias == null ? -1 : alias.lastIndexOf('#');
        if (hash < 0) {
            return null;
        }
        Files0 f = byHost.apply(alias.substring(0, hash));
        try {
            return f == null ? null : f.of(Integer.parseInt(alias.substring(hash + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

}
