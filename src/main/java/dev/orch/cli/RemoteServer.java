package dev.orch.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where a remote call goes: from {@code --server}/{@code --token-file}/{@code --certificate-authority}, else from the
 * chosen context (flags win field by field, as with kubectl). Null fields mean "not given".
 *
 * @param tls {@code https://}: verify the server's certificate against {@code certificateAuthority} (or the JDK's CAs)
 */
record RemoteServer(String host, int port, boolean tls, Path tokenFile, Path certificateAuthority) {
    /** The flags every command accepts, set while parsing (picocli's inherited options), read by {@link ApiClient#connect}. */
    static final class Flags {
        static volatile String server;
        static volatile String tokenFile;
        static volatile String certificateAuthority;
        static volatile String context;

        private Flags() {}

        static void reset() {
            server = null;
            tokenFile = null;
            certificateAuthority = null;
            context = null;
        }
    }

    /** The remote server chosen by the flags and the client config file, or null for the local daemon (unix socket). */
    static RemoteServer resolve(Map<String, String> env) {
        ClientContexts file = ClientContexts.load(ClientContexts.location(env));
        String name = Flags.context != null ? Flags.context : file.currentContext();
        ClientContexts.Context ctx = null;
        if (name != null && name.contains(",")) {
            throw new CliException("--context " + name + ": several contexts are for 'orchctl get apps' (the fleet view); give one NAME here");
        }
        if (name != null) {
            ctx = file.context(name).orElse(null);
            if (ctx == null) {
                throw new CliException("context \"" + name + "\" not found in " + ClientContexts.location(env)
                        + " (see 'orchctl config get-contexts')");
            }
        }
        String server = Flags.server != null ? Flags.server : ctx == null ? null : ctx.server();
        if (server == null) {
            return null;
        }
        String token = Flags.tokenFile != null ? Flags.tokenFile : ctx == null ? null : ctx.tokenFile();
        String ca = Flags.certificateAuthority != null ? Flags.certificateAuthority : ctx == null ? null : ctx.certificateAuthority();
        RemoteServer s = parse(server);
        return new RemoteServer(s.host(), s.port(), s.tls(), token == null ? null : Path.of(token), ca == null ? null : Path.of(ca));
    }

    /** {@code https://host[:port]} or {@code http://host[:port]}; the port defaults to orchd's 7464. */
    static RemoteServer parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new CliException("invalid server URL \"" + url + "\": use https://HOST:PORT");
        }
        if (u.getScheme() == null || !(u.getScheme().equals("https") || u.getScheme().equals("http")) || u.getHost() == null) {
            throw new CliException("invalid server URL \"" + url + "\": use https://HOST:PORT (or http://)");
        }
        String host = u.getHost().startsWith("[") ? u.getHost().substring(1, u.getHost().length() - 1) : u.getHost();
        return new RemoteServer(host, u.getPort() < 0 ? 7464 : u.getPort(), u.getScheme().equals("https"), null, null);
    }

    String url() {
        return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
