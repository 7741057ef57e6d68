package dev.orch.route;

import dev.orch.state.Color;
import dev.orch.state.Traffic;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.List;

/** The JSON bodies of orch-router's control API (orchd -> router, over {@code orch.route.socket}). */
public final class RouterProtocol {
    public static final String PREFIX = "/router/v1/routes";

    private RouterProtocol() {}

    /** Answer to opening a route: the bound ports, and whether a route with the same spec was already open. */
    @RegisterForReflection
    public record Opened(int port, Integer previewPort, boolean adopted) {}

    /** A color and its replicas: the body of a switch or of a new idle color. */
    @RegisterForReflection
    public record Target(Color color, List<Backend> backends) {}

    /** A canary split of the main listener: weight percent of new clients to {@code color}; weight 0 ends it. */
    @RegisterForReflection
    public record Canary(Color color, List<Backend> backends, int weight, String token) {}

    /** The open routes, and which run of the router holds them (a new one after every router restart). */
    @RegisterForReflection
    public record Listing(String instance, List<String> apps) {}

    /** What a route forwards to now. */
    @RegisterForReflection
    public record State(Color live, Color idle, int inFlightBlue, int inFlightGreen, Traffic trafficBlue, Traffic trafficGreen,
            Integer canaryWeight) {
        public static State of(RouteHandle h) {
            return new State(h.live().orElse(null), h.idle().orElse(null), h.inFlight(Color.BLUE), h.inFlight(Color.GREEN),
                    h.traffic(Color.BLUE), h.traffic(Color.GREEN), h.canaryWeight());
        }

        Traffic traffic(Color c) {
            Traffic t = c == Color.BLUE ? trafficBlue : trafficGreen;
            return t == null ? Traffic.NONE : t;
        }

        int inFlight(Color c) {
            return c == Color.BLUE ? inFlightBlue : inFlightGreen;
        }
    }
}
