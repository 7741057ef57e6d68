package dev.orch.reconcile;

import dev.orch.manifest.RouteSpec;
import dev.orch.route.Backend;
import dev.orch.route.RouteHandle;
import dev.orch.route.Router;
import dev.orch.state.Color;
import dev.orch.systemd.ActiveState;
import dev.orch.systemd.InstallResult;
import dev.orch.systemd.InstalledInstance;
import dev.orch.systemd.InstanceId;
import dev.orch.systemd.InstanceStatus;
import dev.orch.systemd.ServiceDriver;
import dev.orch.systemd.ServiceSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** In-memory stand-ins for the driver and router, for the resync benchmark and control-loop tests. */
final class StandIns {
    private StandIns() {}

    /** Every instance installed, current and running. */
    static class AlwaysRunning implements ServiceDriver {
        public String kind() {
            return "bench";
        }

        public InstallResult install(List<ServiceSpec> specs) {
            return new InstallResult(List.of(), specs.stream().map(ServiceSpec::id).toList(), false);
        }

        public boolean isCurrent(ServiceSpec spec) {
            return true;
        }

        public void start(InstanceId id) {}

        public void stop(InstanceId id) {}

        public void restart(InstanceId id) {}

        public InstanceStatus status(InstanceId id) {
            return new InstanceStatus(id, true, ActiveState.ACTIVE, "running", 4242, 0, null, null, null);
        }

        public List<InstalledInstance> list() {
            return List.of();
        }

        public void remove(List<InstanceId> ids) {}

        public Subscription watch(Consumer<dev.orch.systemd.InstanceEvent> listener, Duration interval) {
            return () -> { };
        }

        public void close() {}
    }

    /** Routes that are open and live on blue. */
    static final class LiveRouter implements Router {
        public RouteHandle open(String app, RouteSpec spec) {
            return new RouteHandle() {
                volatile Color live;

                public String app() {
                    return app;
                }

                public int port() {
                    return spec.port();
                }

                public Optional<Integer> previewPort() {
                    return Optional.empty();
                }

                public void switchTo(Color color, List<Backend> backends) {
                    live = color;
                }

                public void setIdle(Color color, List<Backend> backends) {}

                public Optional<Color> live() {
                    return Optional.ofNullable(live);
                }

                public Optional<Color> idle() {
                    return Optional.empty();
                }

                public int inFlight(Color color) {
                    return 0;
                }

                public void close() {}
            };
        }

        public void close() {}
    }
}
