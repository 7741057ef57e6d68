package dev.orch.systemd;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** {@link SystemdManager} through the {@code systemctl} command: one process per verb, no change signals. */
public final class SystemctlManager implements SystemdManager {
    private static final Duration QUICK = Duration.ofSeconds(30);
    private static final Duration SLOW = Duration.ofMinutes(10);

    private final SystemdConfig config;

    public SystemctlManager(SystemdConfig config) {
        this.config = config;
    }

    @Override
    public String transport() {
        return "systemctl";
    }

    @Override
    public void reload() {
        check(CommandRunner.run(config.systemctl("daemon-reload"), SLOW));
    }

    @Override
    public void start(String unit) {
        check(CommandRunner.run(config.systemctl("start", unit), SLOW));
    }

    @Override
    public void stop(String unit) {
        CommandRunner.Result r = CommandRunner.run(config.systemctl("stop", unit), SLOW);
        if (!notLoaded(r)) {
            check(r);
        }
    }

    /** systemctl's answer for a unit it does not know: exit 5, "Unit X not loaded." */
    static boolean notLoaded(CommandRunner.Result r) {
        return r.exitCode() == 5 && r.stderr().contains("not loaded");
    }

    @Override
    public void restart(String unit) {
        check(CommandRunner.run(config.systemctl("restart", unit), SLOW));
    }

    @Override
    public void resetFailed(List<String> units) {
        List<String> args = new ArrayList<>(List.of("reset-failed"));
        args.addAll(units);
        CommandRunner.run(config.systemctl(args.toArray(String[]::new)), QUICK);
    }

    @Override
    public Map<String, Map<String, String>> show(List<String> units) {
        Map<String, Map<String, String>> out = new HashMap<>();
        if (units.isEmpty()) {
            return out;
        }
        List<String> args = new ArrayList<>(List.of("show", "--timestamp=unix", "-p", SystemdDriver.PROPERTIES));
        args.addAll(units);
        CommandRunner.Result r = check(CommandRunner.run(config.systemctl(args.toArray(String[]::new)), QUICK));
        for (Map<String, String> block : parseShow(r.stdout())) {
            out.put(block.getOrDefault("Id", ""), block);
        }
        return out;
    }

    @Override
    public Optional<AutoCloseable> onChange(Consumer<String> changed) {
        return Optional.empty();
    }

    @Override
    public void close() {}

    private static CommandRunner.Result check(CommandRunner.Result r) {
        if (!r.ok()) {
            throw new DriverException(r.describe());
        }
        return r;
    }

    /** {@code systemctl show} prints one key=value block per unit, blocks separated by an empty line. */
    static List<Map<String, String>> parseShow(String out) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> cur = new HashMap<>();
        for (String line : out.split("\n", -1)) {
            if (line.isEmpty()) {
                if (!cur.isEmpty()) {
                    blocks.add(cur);
                    cur = new HashMap<>();
                }
                continue;
            }
            int eq = line.indexOf('=');
            if (eq > 0) {
                cur.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        if (!cur.isEmpty()) {
            blocks.add(cur);
        }
        return blocks;
    }
}
