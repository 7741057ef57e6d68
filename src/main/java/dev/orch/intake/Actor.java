package dev.orch.intake;

import java.util.Objects;

/**
 * Who asked for a change, as audit entries and events name them: a local user (the unix-socket peer), an API
 * token, a git commit and its author, or orchd itself.
 *
 * @param kind {@code user}, {@code token}, {@code git} or {@code controller}
 * @param name the user name, the token's name, {@code <commit> <author>}, or {@code orchd}
 */
public record Actor(String kind, String name) {
    public static final Actor CONTROLLER = new Actor("controller", "orchd");

    public Actor {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static Actor user(String name) {
        return new Actor("user", name);
    }

    public static Actor token(String name) {
        return new Actor("token", name);
    }

    /** {@code commitAndAuthor}: short commit id and author, e.g. {@code 1a2b3c4d Jane <jane@example.com>}. */
    public static Actor git(String commitAndAuthor) {
        return new Actor("git", commitAndAuthor);
    }

    /** The audit entry's cause: {@code user alice}, {@code token api}, {@code git 1a2b3c4d Jane <jane@...>}. */
    public String describe() {
        return kind + " " + name;
    }
}
