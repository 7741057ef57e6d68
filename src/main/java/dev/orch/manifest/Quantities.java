package dev.orch.manifest;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Kubernetes resource quantities, restricted to what maps onto systemd's MemoryMax and CPUQuota. */
public final class Quantities {
    private static final Pattern MEMORY = Pattern.compile("([0-9]+)(Ki|Mi|Gi|Ti|k|M|G|T)?");
    private static final Pattern CPU = Pattern.compile("([0-9]+)m|([0-9]+(?:\\.[0-9]{1,3})?)");

    private Quantities() {}

    /** @throws IllegalArgumentException with what is allowed */
    public static long parseMemory(String s) {
        Matcher m = MEMORY.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "invalid memory quantity \"" + s + "\": use an integer with an optional suffix Ki, Mi, Gi, Ti, k, M, G or T (e.g. 512Mi)");
        }
        long factor = switch (m.group(2) == null ? "" : m.group(2)) {
            case "Ki" -> 1L << 10;
            case "Mi" -> 1L << 20;
            case "Gi" -> 1L << 30;
            case "Ti" -> 1L << 40;
            case "k" -> 1_000L;
            case "M" -> 1_000_000L;
            case "G" -> 1_000_000_000L;
            case "T" -> 1_000_000_000_000L;
            default -> 1L;
        };
        try {
            long bytes = Math.multiplyExact(Long.parseLong(m.group(1)), factor);
            if (bytes <= 0) {
                throw new IllegalArgumentException("invalid memory quantity \"" + s + "\": must be greater than 0");
            }
            return bytes;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid memory quantity \"" + s + "\": too large");
        }
    }

    /** @return millicores; {@code 500m} is 500, {@code 1.5} is 1500 */
    public static int parseCpuMillis(String s) {
        Matcher m = CPU.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "invalid cpu quantity \"" + s + "\": use millicores such as 500m or cores such as 1.5");
        }
        try {
            int millis = m.group(1) != null
                    ? Integer.parseInt(m.group(1))
                    : new BigDecimal(m.group(2)).movePointRight(3).intValueExact();
            if (millis <= 0) {
                throw new IllegalArgumentException("invalid cpu quantity \"" + s + "\": must be greater than 0");
            }
            return millis;
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("invalid cpu quantity \"" + s + "\": too large");
        }
    }
}
