package dev.orch.route;

import dev.orch.state.Color;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The weighted, sticky split of a canary (pure logic, no I/O). A request that carries the route's cookie for this
 * canary ({@code orch_canary=<color>.<token>}, the token names the canary's revision) keeps its color; any other
 * request (no cookie, a cookie of another canary, an unreadable one) takes the next slot of a wheel of 100 where
 * {@code weight} slots, spread evenly, go to the canary, and gets the cookie. Over any 100 such requests the split
 * is exact.
 *
 * @param stable the color that serves the rest (the live one)
 * @param canary the new color
 * @param weight percent of new clients sent to {@code canary}, 0 to 100
 * @param token binds the cookie to this canary (its revision): a cookie from an earlier canary is not honoured
 */
public record CanarySplit(Color stable, Color canary, int weight, String token, AtomicLong wheel) {
    public static final String COOKIE = "orch_canary";

    public CanarySplit {
        if (stable == null || canary == null || stable == canary) {
            throw new IllegalArgumentException("a canary needs two different colors");
        }
        if (weight < 0 || weight > 100) {
            throw new IllegalArgumentException("canary weight must be 0 to 100, got " + weight);
        }
        if (token == null || token.isEmpty() || !token.chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '-')) {
            throw new IllegalArgumentException("canary token must be letters, digits and '-', got \"" + token + "\"");
        }
        wheel = wheel == null ? new AtomicLong() : wheel;
    }

    public CanarySplit(Color stable, Color canary, int weight, String token) {
        this(stable, canary, weight, token, null);
    }

    /** The same canary at another weight: the wheel goes on where it was. */
    public CanarySplit withWeight(int w) {
        return new CanarySplit(stable, canary, w, token, wheel);
    }

    /**
     * Where one request goes.
     *
     * @param color the color that serves it
     * @param setCookie the {@code Set-Cookie} value to answer with, or null when the client already has the right one
     */
    public record Choice(Color color, String setCookie) {}

    /** @param cookieHeaders every {@code Cookie} header of the request (usually one, or none) */
    public Choice choose(List<String> cookieHeaders) {
        Color sticky = sticky(cookieHeaders);
        if (sticky != null) {
            return new Choice(sticky, null);
        }
        long n = wheel.getAndIncrement() % 100;
        // slot n is the canary's when the running count of canary slots steps up at it: weight slots of 100, evenly spread
        boolean toCanary = (n + 1) * weight / 100 > n * weight / 100;
        Color c = toCanary ? canary : stable;
        return new Choice(c, COOKIE + "=" + value(c) + "; Path=/; HttpOnly; SameSite=Lax");
    }

    /** The color a cookie of this canary pins the client to, or null (none, another canary's, or a color at 0 %). */
    Color sticky(List<String> cookieHeaders) {
        if (cookieHeaders == null) {
            return null;
        }
        for (String header : cookieHeaders) {
            for (String pair : header.split(";")) {
                String p = pair.trim();
                if (!p.startsWith(COOKIE + "=")) {
                    continue;
                }
                String v = p.substring(COOKIE.length() + 1);
                if (v.equals(value(canary))) {
                    return weight > 0 ? canary : null;
                }
                if (v.equals(value(stable))) {
                    return weight < 100 ? stable : null;
                }
            }
        }
        return null;
    }

    String value(Color c) {
        return c.wire() + "." + token;
    }
}
