package dev.orch.systemd;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion (k8s.io/kubernetes third_party/forked/golang/expansion): {@code $(NAME)}
 * becomes the value of NAME when defined and stays literally {@code $(NAME)} when not; {@code $$} becomes a
 * single {@code $} (so {@code $$(NAME)} yields the literal text {@code $(NAME)}); any other {@code $} is literal.
 */
public final class Expansion {
    private Expansion() {}

    public static String expand(String input, Map<String, String> vars) {
        StringBuilder out = new StringBuilder(input.length());
        int cursor = 0;
        while (cursor < input.length()) {
            char c = input.charAt(cursor);
            if (c == '$' && cursor + 1 < input.length()) {
                char next = input.charAt(cursor + 1);
                if (next == '$') {
                    out.append('$');
                    cursor += 2;
                } else if (next == '(') {
                    int close = input.indexOf(')', cursor + 2);
                    if (close < 0) {
                        out.append("$(");
                        cursor += 2;
                    } else {
                        String name = input.substring(cursor + 2, close);
                        String value = vars.get(name);
                        out.append(value != null ? value : "$(" + name + ")");
                        cursor = close + 1;
                    }
                } else {
                    out.append('$').append(next);
                    cursor += 2;
                }
            } else {
                out.append(c);
                cursor++;
            }
        }
        return out.toString();
    }
}
