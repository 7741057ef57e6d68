package dev.orch.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell block under a README heading, as steps: each line's command and, from its {@code # => text}
 * comment, text its output must contain. End-to-end tests run these steps so README and test cannot drift.
 */
public final class ReadmeWalkthrough {
    /** A command and what its output must contain ("" when the line promises nothing). */
    public record Step(int line, String command, String expect) {}

    private static final Pattern COMMENT = Pattern.compile("\\s{2,}#\\s?(?:=>\\s*(.*))?.*$");

    private ReadmeWalkthrough() {}

    /** The steps of the first {@code ```sh} block after the line {@code heading}. */
    public static List<Step> steps(Path readme, String heading) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        int i = lines.indexOf(heading);
        if (i < 0) {
            throw new IllegalStateException(readme + " has no heading \"" + heading + "\"");
        }
        while (i < lines.size() && !lines.get(i).equals("```sh")) {
            i++;
        }
        List<Step> steps = new ArrayList<>();
        for (i++; i < lines.size() && !lines.get(i).equals("```"); i++) {
            String l = lines.get(i);
            if (l.isBlank() || l.startsWith("#")) {
                continue;
            }
            Matcher m = COMMENT.matcher(l);
            String command = l;
            String expect = "";
            if (m.find()) {
                command = l.substring(0, m.start());
                expect = m.group(1) == null ? "" : m.group(1).strip();
            }
            steps.add(new Step(i + 1, command.strip(), expect));
        }
        if (steps.isEmpty()) {
            throw new IllegalStateException("no ```sh block after \"" + heading + "\" in " + readme);
        }
        return steps;
    }
}
