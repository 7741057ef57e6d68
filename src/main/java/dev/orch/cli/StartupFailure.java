package dev.orch.cli;

import java.net.BindException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One line that says why orchd could not start. Quarkus wraps the cause ("Failed to start quarkus", a
 * RuntimeException around a BindException, a config exception listing every bad key), so the line is the
 * messages of the chain that say something, outermost wrapper dropped, each once.
 */
final class StartupFailure {
    private static final Set<String> WRAPPERS = Set.of("Failed to start quarkus", "Failed to start application");

    private StartupFailure() {}

    static String describe(Throwable failure) {
        Set<String> parts = new LinkedHashSet<>();
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            String msg = message(t);
            if (msg != null && !WRAPPERS.contains(msg) && parts.stream().noneMatch(p -> p.contains(msg))) {
                parts.add(msg);
            }
        }
        if (parts.isEmpty()) {
            return failure.getClass().getName();
        }
        // a config error quotes its converter's exception by class name: the message is what helps
        return String.join(": ", parts).replaceAll("\\s*\\R\\s*", " ").replaceAll("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z]\\w*(?:Exception|Error): ", "").strip();
    }

    private static String message(Throwable t) {
        String m = t.getMessage();
        if (t instanceof BindException) {
            return "cannot listen: " + (m == null ? "address in use" : m);
        }
        if (m == null || m.isBlank() || (t.getCause() != null && m.equals(t.getCause().toString()))) {
            return null; // a wrapper whose message is its cause's
        }
        return m.strip();
    }
}
