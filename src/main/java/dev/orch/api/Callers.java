package dev.orch.api;

import dev.orch.intake.Actor;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.impl.ConnectionBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Who called the API, for audit entries: over the unix socket the peer's user (the kernel's SO_PEERCRED, as
 * {@code systemd} and {@code docker} read it), over TCP the bearer token (orchd has one, named {@code api}).
 */
final class Callers {
    private static final Path PASSWD = Path.of("/etc/passwd");

    private Callers() {}

    static Actor of(HttpServerRequest req) {
        if (req == null) {
            return Actor.user("unknown");
        }
        if (!ApiAuth.viaUnixSocket(req.localAddress())) {
            return Actor.token("api");
        }
        if (req.connection() instanceof ConnectionBase c) {
            Channel ch = c.channel();
            if (ch instanceof EpollDomainSocketChannel uds) {
                try {
                    return Actor.user(userName(uds.peerCredentials().uid()));
                } catch (IOException | RuntimeException e) {
                    // fall through: the socket's permissions admitted the caller, the name is only for the record
                }
            }
        }
        return Actor.user("unknown");
    }

    /** The name {@code /etc/passwd} gives the uid, else {@code uid N}. */
    static String userName(int uid) {
        try {
            List<String> lines = Files.readAllLines(PASSWD);
            for (String line : lines) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException e) {
            // no passwd file: the number is all there is
        }
        return "uid " + uid;
    }
}
