package dev.orch.cli;

import dev.orch.api.AppStatus;
import dev.orch.api.AppSummary;
import dev.orch.manifest.RouteSpec;
import dev.orch.state.ActualState;
import dev.orch.state.AppEvent;
import dev.orch.state.Color;
import dev.orch.state.ColorState;
import dev.orch.state.Condition;
import dev.orch.state.DesiredApp;
import dev.orch.state.Revision;
import dev.orch.state.Rollout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@code orchctl describe app NAME}: kubectl-describe-style text, sections of aligned fields and tables. */
final class AppDescription {
    private AppDescription() {}

    static String render(AppStatus s, List<Revision> revisions, Instant now) {
        StringBuilder sb = new StringBuilder();
        AppSummary sum = s.summary();
        DesiredApp d = s.desired();
        ActualState a = s.status();
        List<String[]> fields = new ArrayList<>();
        fields.add(new String[] {"Name:", sum.name()});
        if (d != null) {
            fields.add(new String[] {"Source:", d.source().describe()});
            if (s.pin() != null) {
                fields.add(new String[] {"Pinned:", s.pin().reason() + ": revision " + s.pin().revision() + " since " + s.pin().since() + " by "
                        + s.pin().actor() + "; " + s.pin().endsWhen() + " ends it"});
            }
            fields.add(new String[] {"Created:", d.createdAt() + " (" + AppTable.age(Duration.between(d.createdAt(), now)) + " ago)"});
            fields.add(new String[] {"Generation:", d.generation() + " (observed " + a.observedGeneration() + ")"});
            RouteSpec r = d.deployment().spec().route();
            fields.add(new String[] {"Route:", r.bindAddress() + ":" + r.port() + " (" + r.protocol().wire() + ")"
                    + (r.previewPort() == null ? "" : ", preview :" + r.previewPort())});
            fields.add(new String[] {"Replicas:", sum.ready() + " ready"});
        }
        fields.add(new String[] {"Status:", sum.status()});
        fields.add(new String[] {"Live:", sum.live() == null ? "<none>" : sum.live() + " (revision " + sum.revision() + ")"});
        revisions.stream().filter(rev -> rev.number() == sum.revision() && rev.artifactVersion() != null).findFirst()
                .ifPresent(rev -> fields.add(new String[] {"Release:", rev.artifactVersion() + " (sha256 " + rev.artifactSha256() + ")"}));
        sb.append(fieldBlock(fields, ""));

        sb.append("Colors:\n");
        List<String[]> colors = new ArrayList<>();
        colors.add(new String[] {"COLOR", "REVISION", "HASH", "PORTS", "STARTED"});
        for (Color c : Color.values()) {
            ColorState cs = a.color(c);
            colors.add(cs == null
                    ? new String[] {c.wire() + (c == a.live() ? " (live)" : ""), "<none>", "", "", ""}
                    : new String[] {c.wire() + (c == a.live() ? " (live)" : ""), Integer.toString(cs.revision()), nz(cs.revisionHash()),
                        join(cs.ports()), cs.startedAt() == null ? "" : AppTable.age(Duration.between(cs.startedAt(), now)) + " ago"});
        }
        sb.append(indent(Tables.align(colors)));

        Rollout r = a.rollout();
        sb.append("Rollout:");
        if (r == null) {
            sb.append(" <none>\n");
        } else {
            sb.append('\n');
            List<String[]> rf = new ArrayList<>();
            rf.add(new String[] {"Phase:", r.phase().wire() + " (since " + AppTable.age(Duration.between(r.phaseStartedAt(), now)) + ")"});
            rf.add(new String[] {"Target:", "revision " + r.targetRevision() + " (" + nz(r.targetHash()) + ") in " + r.targetColor().wire()});
            if (r.deadline() != null) {
                rf.add(new String[] {"Deadline:", r.deadline().toString()});
            }
            if (r.promoted()) {
                rf.add(new String[] {"Promoted:", "yes"});
            }
            if (r.inCanary()) {
                rf.add(new String[] {"Canary:", r.canary().describe()});
            }
            sb.append(fieldBlock(rf, "  "));
        }

        sb.append("Conditions:");
        if (a.conditions().isEmpty()) {
            sb.append(" <none>\n");
        } else {
            sb.append('\n');
            List<String[]> cr = new ArrayList<>();
            cr.add(new String[] {"TYPE", "STATUS", "REASON", "AGE", "MESSAGE"});
            for (Condition c : a.conditions()) {
                cr.add(new String[] {c.type(), c.status().toString(), nz(c.reason()),
                    c.lastTransitionTime() == null ? "" : AppTable.age(Duration.between(c.lastTransitionTime(), now)), nz(c.message())});
            }
            sb.append(indent(Tables.align(cr)));
        }

        sb.append("Revisions:");
        if (revisions.isEmpty()) {
            sb.append(" <none>\n");
        } else {
            sb.append('\n');
            List<String[]> rr = new ArrayList<>();
            // a release channel's version per revision, when any revision has one
            boolean releases = revisions.stream().anyMatch(rev -> rev.artifactVersion() != null);
            rr.add(releases ? new String[] {"REVISION", "HASH", "RELEASE", "SOURCE", "AGE"} : new String[] {"REVISION", "HASH", "SOURCE", "AGE"});
            for (Revision rev : revisions) {
                String age = rev.createdAt() == null ? "" : AppTable.age(Duration.between(rev.createdAt(), now));
                rr.add(releases ? new String[] {Integer.toString(rev.number()), rev.hash(), nz(rev.artifactVersion()), rev.source().describe(), age}
                        : new String[] {Integer.toString(rev.number()), rev.hash(), rev.source().describe(), age});
            }
            sb.append(indent(Tables.align(rr)));
        }

        sb.append("Events:");
        if (a.events().isEmpty()) {
            sb.append(" <none>\n");
        } else {
            sb.append('\n');
            List<String[]> er = new ArrayList<>();
            er.add(new String[] {"TYPE", "REASON", "AGE", "MESSAGE"});
            for (AppEvent e : a.events()) {
                er.add(new String[] {e.type().wire(), nz(e.reason()), AppTable.age(Duration.between(e.time(), now)), nz(e.message())});
            }
            sb.append(indent(Tables.align(er)));
        }
        return sb.toString();
    }

    private static String fieldBlock(List<String[]> fields, String prefix) {
        int w = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0) + 2;
        StringBuilder sb = new StringBuilder();
        for (String[] f : fields) {
            sb.append(prefix).append(f[0]).append(" ".repeat(w - f[0].length())).append(f[1]).append('\n');
        }
        return sb.toString();
    }

    private static String indent(String table) {
        StringBuilder sb = new StringBuilder();
        for (String line : table.split("\n")) {
            sb.append("  ").append(line.stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String join(List<Integer> ports) {
        List<String> s = new ArrayList<>();
        ports.forEach(p -> s.add(Integer.toString(p)));
        return String.join(",", s);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
