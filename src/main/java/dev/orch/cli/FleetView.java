package dev.orch.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.orch.api.AppSummary;
import dev.orch.config.HostIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code orchctl get apps --context a,b,c} / {@code --all-contexts}: each context's apps in one table, a HOST column
 * first (the host's {@code orch.host.name}). A context that cannot be reached is reported on stderr, its row
 * says so, and the command fails after printing the others.
 */
final class FleetView {
    record Member(String context, String host, List<AppSummary> apps, String error) {}

    private FleetView() {}

    /** The contexts asked for: a comma-separated list, or every context of the client config file. */
    static List<String> contexts(String flag, boolean all) {
        if (all) {
            List<String> names = ClientContexts.load(ClientContexts.location(System.getenv())).contexts().stream().map(ClientContexts.Context::name).toList();
            if (names.isEmpty()) {
                throw new CliException("--all-contexts: no context in " + ClientContexts.location(System.getenv()) + " (see 'orchctl config set-context')");
            }
            return names;
        }
        List<String> out = new ArrayList<>();
        for (String n : flag.split(",", -1)) {
            if (n.isBlank()) {
                throw new CliException("invalid --context \"" + flag + "\": use NAME or NAME,NAME,...");
            }
            out.add(n.strip());
        }
        return out;
    }

    static List<Member> fetch(List<String> contexts) {
        List<Member> out = new ArrayList<>();
        String saved = RemoteServer.Flags.context;
        try {
            for (String c : contexts) {
                RemoteServer.Flags.context = c;
                try (ApiClient api = ApiClient.connect()) {
                    HostIdentity host = api.get("/api/v1/host", HostIdentity.class);
                    out.add(new Member(c, host.name(), api.get("/api/v1/apps", new TypeReference<List<AppSummary>>() {}), null));
                } catch (CliException e) {
                    out.add(new Member(c, null, List.of(), e.getMessage()));
                }
            }
        } finally {
            RemoteServer.Flags.context = saved;
        }
        return out;
    }

    static String render(List<Member> members, LabelSelector labels, Instant now, boolean wide) {
        List<String[]> rows = new ArrayList<>();
        rows.add(concat("HOST", wide ? concatAll(AppTable.HEADER, AppTable.WIDE) : AppTable.HEADER));
        for (Member m : members) {
            if (m.error() != null) {
                continue;
            }
            for (AppSummary a : m.apps()) {
                if (labels == null || labels.matches(a.labels())) {
                    rows.add(concat(m.host(), AppTable.row(a, now, wide)));
                }
            }
        }
        return Tables.align(rows);
    }

    private static String[] concat(String first, String[] rest) {
        String[] out = new String[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static String[] concatAll(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
