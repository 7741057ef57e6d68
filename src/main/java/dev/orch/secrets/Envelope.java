package dev.orch.secrets;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a sealed value's plain text is: one header line binding it to its app, then the value's bytes
 * unchanged ({@code orch-sealed app=web}, newline, value). A ciphertext copied into another app's manifest
 * opens with this host's key but fails the check, as sealed-secrets' strict scope does. With plain age:
 * {@code (printf 'orch-sealed app=web\n'; cat value.txt) | age -a -r "$(orchctl get sealing-key)"}.
 */
public final class Envelope {
    static final String PREFIX = "orch-sealed app=";

    private Envelope() {}

    public static byte[] wrap(String app, byte[] value) {
        byte[] head = (PREFIX + app + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(head, head.length + value.length);
        System.arraycopy(value, 0, out, head.length, value.length);
        return out;
    }

    /** The value, or {@link AgeException} saying which app it was sealed for (never anything of the value). */
    public static byte[] unwrap(String app, byte[] plain) {
        int nl = -1;
        for (int i = 0; i < plain.length && i < 200; i++) {
            if (plain[i] == '\n') {
                nl = i;
                break;
            }
        }
        String head = nl < 0 ? "" : new String(plain, 0, nl, StandardCharsets.UTF_8);
        if (!head.startsWith(PREFIX)) {
            throw new AgeException("it opens but has no 'orch-sealed app=<app>' first line: seal it with orchctl seal"
                    + " or the age one-liner in docs/secrets.md");
        }
        String sealedFor = head.substring(PREFIX.length());
        if (!sealedFor.equals(app)) {
            throw new AgeException("it was sealed for app \"" + sealedFor + "\", not \"" + app + "\"");
        }
        return Arrays.copyOfRange(plain, nl + 1, plain.length);
    }
}
