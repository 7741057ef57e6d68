package dev.orch.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import io.quarkus.runtime.configuration.MemorySize;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every daemon setting and its default, in one place; documented in README.md "Configuration". */
@ConfigMapping(prefix = "orch")
public interface OrchConfig {
    /** Root of all state orchd keeps (actual state, history, audit log, git mirrors, artifacts). */
    @WithName("state-dir")
    Path stateDir();

    Api api();

    /** Which service driver runs the colors: {@code auto} picks systemd when it is PID 1, else {@code process}. */
    @WithDefault("auto")
    String driver();

    Systemd systemd();

    Ports ports();

    Reconcile reconcile();

    Watchdog watchdog();

    Audit audit();

    /** Who this host is in a fleet (docs/fleet.md): its name and labels, which decide the apps it takes. */
    Host host();

    /**
     * {@code orchd}, or {@code router}: orch-router.service, the same program holding only the apps' public
     * listeners for orchd ({@code orchd --router} selects it through the {@code router} config profile).
     */
    @WithDefault("orchd")
    String role();

    default boolean isRouter() {
        return "router".equals(role());
    }

    Route route();

    /** GitOps sources (docs/gitops.md); none configured = desired state only from {@code orchctl apply}. */
    Git git();

    /** How artifact URLs are downloaded (docs/manifest.md, {@code spec.template.artifact}). */
    Artifacts artifacts();

    /** Deploy notifications to webhooks and chat (docs/notifications.md); no receiver = none sent. */
    @WithName("notify")
    Notify notifications();

    /** Crash-test fault injection, {@code PHASE:DURATION} (e.g. {@code Starting:5s}); never set in production. */
    @WithName("test.pause-after")
    Optional<String> testPauseAfter();

    interface Api {
        /** Unix socket the API listens on; its directory's permissions decide who may call. */
        Path socket();

        /** The optional TCP listener (bearer token required on every call). */
        Tcp tcp();

        /**
         * The system group whose members may use the API without root: the socket becomes 0660 and the token
         * file 0640 with this group, when it exists (systemd/install creates it). Otherwise both stay root-only.
         */
        @WithDefault("orch")
        String group();

        /** File holding the TCP listener's bearer token (created at first start, mode 0640, group orch). */
        @WithName("token-file")
        Path tokenFile();

        interface Tcp {
            /** Also listen on TCP ({@code host:port}); off by default. */
            @WithDefault("false")
            boolean enabled();

            /** Address of the TCP listener; loopback by default. Any address needs the token. */
            @WithDefault("127.0.0.1")
            String host();

            @WithDefault("7464")
            int port();

            /** With a certificate and its key the TCP listener speaks only HTTPS (read by the daemon command before boot). */
            Tls tls();

            interface Tls {
                /** PEM certificate (chain) of the listener. */
                @WithName("cert-file")
                Optional<Path> certFile();

                /** PEM private key (PKCS#8) of that certificate. */
                @WithName("key-file")
                Optional<Path> keyFile();
            }
        }
    }

    interface Systemd {
        /** {@code system} (units in /etc/systemd/system) or {@code user} ({@code systemctl --user}). */
        @WithDefault("system")
        String scope();

        /** How orchd sees the manager's file system; {@code /} except for a manager in another mount namespace. */
        @WithDefault("/")
        Path root();

        /** Unit directory as the manager sees it (default by scope). */
        Optional<String> unitDir();

        /** Directory of the mode-0600 environment files (default by scope). */
        Optional<String> envDir();

        /** argv put before every systemctl call, e.g. {@code nsenter,-t,123,-m,-p} (tests); empty normally. */
        Optional<List<String>> commandPrefix();

        /**
         * The manager's private D-Bus socket as orchd opens it; default {@code /run/systemd/private} (system) or
         * {@code $XDG_RUNTIME_DIR/systemd/private} (user), under {@code root}. When it does not answer, orchd drives
         * the manager with {@code systemctl}.
         */
        Optional<Path> busSocket();
    }

    interface Artifacts {
        /** PEM file of the CA certificates trusted for https artifact URLs, instead of the JVM's trust store. */
        @WithName("ca-bundle")
        Optional<Path> caBundle();

        /** HTTP proxy ({@code http://host:port}) all artifact downloads go through; none by default. */
        Optional<String> proxy();

        /** Timeout of the TCP and TLS connection to the artifact server. */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /** How often release channels are looked at for a new release (also at once by orchctl sync and webhooks). */
        @WithName("channel-poll")
        @WithDefault("60s")
        Duration channelPoll();

        /** Timeout until the artifact server's response headers arrived. */
        @WithName("response-timeout")
        @WithDefault("30s")
        Duration responseTimeout();
    }

    interface Ports {
        /** Local ports handed to colors and replicas, {@code FIRST-LAST}. */
        @WithDefault("20000-29999")
        String range();
    }

    interface Route {
        /**
         * Where the apps' routes live: {@code embedded} in orchd (they close while orchd is down), or {@code unit}
         * in orch-router.service, driven over {@code orch.route.socket}, so they keep serving while orchd stops,
         * restarts or crashes. orchd.service sets {@code unit}.
         */
        @WithDefault("embedded")
        String mode();

        /** The router's control socket (root only: it reconfigures every public port). */
        Path socket();

        /** The router's metrics and health listener (orch_route_* metrics in unit mode), on quarkus.management.host. */
        @WithName("metrics-port")
        @WithDefault("9465")
        int metricsPort();

        /** HTTP routes: a new client connection that has not sent a complete request head within this is closed. */
        @WithName("header-timeout")
        @WithDefault("10s")
        Duration headerTimeout();

        /** HTTP routes: a client connection is closed when no complete request head follows a response within this. */
        @WithName("keep-alive-timeout")
        @WithDefault("75s")
        Duration keepAliveTimeout();

        /** The shared plain HTTP listener of apps with route.hosts (bound when the first such app opens its route). */
        @WithName("http-port")
        @WithDefault("80")
        int httpPort();

        /** The shared HTTPS listener of apps with route.hosts (certificates from route.tls, picked by SNI). */
        @WithName("https-port")
        @WithDefault("443")
        int httpsPort();

        /** HTTP routes: a backend that has sent no response head within this after the request started: 504 (kamal-proxy's target timeout). */
        @WithName("response-timeout")
        @WithDefault("30s")
        Duration responseTimeout();

        /** HTTP routes: a request body over this is answered 413; 0 for no limit (kamal-proxy's default). */
        @WithName("max-request-body")
        @WithDefault("0")
        MemorySize maxRequestBody();

        /** The address both shared listeners bind. */
        @WithName("bind-address")
        @WithDefault("0.0.0.0")
        String bindAddress();
    }

    interface Host {
        /** This host's name in {@code orchctl get host}, the metrics and the fleet view; default the machine's host name. */
        Optional<String> name();

        /** {@code key=value,...} (e.g. {@code environment=staging,role=web}): what manifests' nodeSelector matches. */
        Optional<String> labels();
    }

    interface Audit {
        /** {@code audit.log} is renamed to {@code audit.log.<n>} before a line would take it past this size; rotated files are kept and searched. */
        @WithName("max-file-size")
        @WithDefault("10M")
        MemorySize maxFileSize();
    }

    interface Watchdog {
        /**
         * With systemd's watchdog on (WatchdogSec= in orchd.service), orchd stops pinging once one reconcile or
         * the periodic resync has run this long; systemd then restarts orchd, the apps keep running.
         */
        @WithName("stall-after")
        @WithDefault("5m")
        Duration stallAfter();
    }

    interface Reconcile {
        /** Every app is reconciled at least this often, even without events. */
        @WithDefault("30s")
        Duration resync();

        /** Apps reconciled in parallel. */
        @WithDefault("4")
        int workers();

        /** How often unit states are polled for changes (drift detection without D-Bus signals). */
        @WithDefault("1s")
        Duration unitPoll();
    }

    interface Git {
        /** Repositories to deploy from, by a short name ({@code orch.git.repos.<name>.url}, ...). */
        Map<String, Repo> repos();

        interface Repo {
            /** {@code file:///srv/git/apps.git}, {@code https://host/org/apps.git} or {@code ssh://git@host/org/apps.git}. */
            String url();

            @WithDefault("main")
            String branch();

            /** Directory inside the repository whose manifests (recursively) define the apps. */
            @WithDefault(".")
            String path();

            /** How often the remote is fetched when no webhook or hook triggers it. */
            @WithDefault("60s")
            Duration poll();

            /** https: a file holding an access token (sent as the password of user {@link #username()}). */
            Optional<Path> tokenFile();

            /** https basic auth user name (default {@code git}), or the ssh user when the URL names none. */
            Optional<String> username();

            /** https basic auth: a file holding the password. */
            Optional<Path> passwordFile();

            /** ssh: private key file (passed to ssh -i). */
            Optional<Path> sshKeyFile();

            /** ssh: known_hosts file; host keys are checked strictly against it. */
            Optional<Path> knownHostsFile();

            /** Webhook shared secret (GitHub, Gitea, Forgejo HMAC-SHA256); no file = webhook refused. */
            Optional<Path> webhookSecretFile();

            /** Only a tip signed by a trusted key is applied (docs/gitops.md "Verification"). */
            @WithDefault("false")
            boolean verify();

            /** Armored OpenPGP public key files: commits signed by their keys are trusted. */
            Optional<List<Path>> trustedKeys();

            /** An ssh allowed_signers file: commits signed by its keys are trusted. */
            Optional<Path> allowedSignersFile();
        }
    }

    interface Notify {
        /** Receivers by a short name ({@code orch.notify.receivers.<name>.url}, ...). */
        Map<String, Receiver> receivers();

        /** Identical events (app, reason, message, revision) sent to a receiver again within this window are dropped. */
        @WithName("dedup-window")
        @WithDefault("5m")
        Duration dedupWindow();

        /** Events waiting per receiver; past it new ones are dropped (and counted). */
        @WithName("queue-size")
        @WithDefault("1000")
        int queueSize();

        /** Attempts per event (backoff 1s doubling up to 30s) before it is dropped. */
        @WithName("max-attempts")
        @WithDefault("10")
        int maxAttempts();

        interface Receiver {
            /** {@code webhook} (orch's JSON event) or {@code slack} (incoming-webhook payload: Slack, Mattermost, Rocket.Chat). */
            @WithDefault("webhook")
            String type();

            /** Where the events are POSTed. */
            String url();

            /** webhook: a file holding the HMAC-SHA256 key; the body's signature is sent as {@code X-Orch-Signature: sha256=<hex>}. */
            Optional<Path> secretFile();

            /** Only these apps (comma-separated); empty = every app. */
            Optional<List<String>> apps();

            /** Only these event reasons (comma-separated, e.g. {@code Switched,RolledBack}); empty = every reason. */
            Optional<List<String>> reasons();

            /** The lowest severity sent: {@code info}, {@code warning} or {@code error}. */
            @WithDefault("info")
            String severity();

            /** Connect and response timeout of one delivery. */
            @WithDefault("10s")
            Duration timeout();
        }
    }
}
