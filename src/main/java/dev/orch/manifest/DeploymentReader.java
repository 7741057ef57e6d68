package dev.orch.manifest;

import dev.orch.manifest.NodeReader.Obj;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one document into a {@link Deployment}: the schema (fields, types, required) and the semantic
 * rules, with every default filled in. Every problem is reported; a document with any problem yields null.
 */
final class DeploymentReader {
    /** {@code status} is what {@code get -o yaml} prints; as in Kubernetes it is ignored on input. */
    static final List<String> ROOT_FIELDS = List.of("apiVersion", "kind", "metadata", "spec", "status");
    static final List<String> METADATA_FIELDS = List.of("name", "labels", "annotations");
    static final List<String> SPEC_FIELDS = List.of(
            "replicas", "route", "template", "strategy", "progressDeadlineSeconds", "revisionHistoryLimit", "minReadySeconds",
            "nodeSelector", "nodeAffinity", "overrides");
    static final List<String> ROUTE_FIELDS =
            List.of("port", "protocol", "bindAddress", "previewPort", "drainTimeoutSeconds", "hosts", "pathPrefix",
                    "stripPathPrefix", "tls");
    static final List<String> TLS_FIELDS = List.of("certificateFile", "privateKeyFile", "redirect", "hstsMaxAgeSeconds");
    static final List<String> TEMPLATE_FIELDS = List.of("command", "args", "env", "workingDir", "user", "portEnv",
            "artifact", "readinessProbe", "livenessProbe", "resources", "hardening", "terminationGracePeriodSeconds",
            "secretFiles");
    static final List<String> ENV_FIELDS = List.of("name", "value", "sealedValue");
    static final List<String> PROBE_FIELDS = List.of("httpGet", "tcpSocket", "exec", "initialDelaySeconds",
            "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold");
    static final List<String> HTTP_GET_FIELDS = List.of("path", "port", "host", "scheme", "httpHeaders");
    static final List<String> HEADER_FIELDS = List.of("name", "value");
    static final List<String> TCP_SOCKET_FIELDS = List.of("port", "host");
    static final List<String> EXEC_FIELDS = List.of("command");
    static final List<String> RESOURCES_FIELDS = List.of("limits");
    static final List<String> LIMITS_FIELDS = List.of("memory", "cpu");
    static final List<String> HARDENING_FIELDS = List.of("noNewPrivileges", "protectSystem", "protectHome",
            "privateTmp", "privateDevices", "protectKernelTunables", "protectKernelModules", "protectKernelLogs",
            "protectControlGroups", "restrictSUIDSGID", "readWritePaths");
    static final List<String> STRATEGY_FIELDS = List.of("type", "blueGreen", "canary");
    static final List<String> CANARY_FIELDS = List.of("steps", "analysis");
    static final List<String> STEP_FIELDS = List.of("setWeight", "pause");
    static final List<String> PAUSE_FIELDS = List.of("durationSeconds");
    static final List<String> ANALYSIS_FIELDS = List.of("intervalSeconds", "max5xxPercent", "maxP99Ratio", "failureLimit", "enabled");
    static final List<String> BLUE_GREEN_FIELDS = List.of("autoPromote", "keepWarmSeconds", "bake", "crashLoopRestarts", "smokeChecks");
    static final List<String> BAKE_FIELDS = List.of("durationSeconds", "intervalSeconds", "max5xxPercent", "maxP99Ratio", "failureLimit");

    /** Set by orch for every color; a manifest may not define it. */
    static final String ARTIFACT_ENV = "ARTIFACT";

    private static final String NON_NEGATIVE_SECONDS = "must be 0 or more seconds";
    private static final String POSITIVE_SECONDS = "must be 1 or more seconds";

    private final NodeReader r;

    DeploymentReader(NodeReader reader) {
        this.r = reader;
    }

    /** @return the deployment, or null when this document had any error (all of them are reported) */
    Deployment read(Node root) {
        int before = r.errorCount();
        if (!(root instanceof MappingNode)) {
            r.error(root, "", "a manifest must be a mapping with apiVersion, kind, metadata and spec; got "
                    + NodeReader.describe(root));
            return null;
        }
        Obj doc = r.object(root, root.getStartMark(), "", ROOT_FIELDS);
        if (doc == null) {
            return null;
        }
        String apiVersion = doc.require("apiVersion") ? doc.string("apiVersion", null) : null;
        if (apiVersion != null && !apiVersion.equals(Deployment.API_VERSION)) {
            r.error(doc.node("apiVersion"), doc.path("apiVersion"),
                    "unsupported apiVersion \"" + apiVersion + "\": use " + Deployment.API_VERSION);
        }
        String kind = doc.require("kind") ? doc.string("kind", null) : null;
        if (kind != null && !kind.equals(Deployment.KIND)) {
            r.error(doc.node("kind"), doc.path("kind"), "unsupported kind \"" + kind + "\": use " + Deployment.KIND);
        }
        ObjectMeta metadata = doc.require("metadata") ? metadata(doc.object("metadata", METADATA_FIELDS)) : null;
        DeploymentSpec spec = doc.require("spec") ? spec(doc.object("spec", SPEC_FIELDS)) : null;
        if (r.errorCount() != before) {
            return null;
        }
        return new Deployment(apiVersion, kind, metadata, spec);
    }

    private ObjectMeta metadata(Obj m) {
        if (m == null) {
            return null;
        }
        int before = r.errorCount();
        String name = m.require("name") ? m.string("name", null) : null;
        if (name != null) {
            String problem = Rules.appName(name);
            if (problem != null) {
                r.error(m.node("name"), m.path("name"), problem);
            }
        }
        Map<String, String> labels = stringMap(m, "labels", true);
        Map<String, String> annotations = stringMap(m, "annotations", false);
        return r.errorCount() == before ? new ObjectMeta(name, labels, annotations) : null;
    }

    Map<String, String> stringMap(Obj parent, String key, boolean labelValues) {
        Node node = parent.node(key);
        if (node == null) {
            return Map.of();
        }
        Map<String, NodeTuple> entries = r.stringMap(node, parent.path(key));
        if (entries == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        entries.forEach((k, tuple) -> {
            String path = NodeReader.entryPath(parent.path(key), k);
            String keyProblem = Rules.labelKey(k);
            if (keyProblem != null) {
                r.error(tuple.getKeyNode(), path, keyProblem);
            }
            String value = r.isNull(tuple.getValueNode()) ? "" : r.string(tuple.getValueNode(), path);
            if (value != null && labelValues) {
                String valueProblem = Rules.labelValue(value);
                if (valueProblem != null) {
                    r.error(tuple.getValueNode(), path, valueProblem);
                }
            }
            out.put(k, value == null ? "" : value);
        });
        return out;
    }

    private DeploymentSpec spec(Obj s) {
        if (s == null) {
            return null;
        }
        int before = r.errorCount();
        Integer replicas = s.integer("replicas", DeploymentSpec.DEFAULT_REPLICAS, 1, DeploymentSpec.MAX_REPLICAS,
                "must be between 1 and " + DeploymentSpec.MAX_REPLICAS);
        RouteSpec route = s.require("route") ? route(s.object("route", ROUTE_FIELDS)) : null;
        Template template = s.require("template") ? template(s.object("template", TEMPLATE_FIELDS)) : null;
        Strategy strategy = s.has("strategy") ? strategy(s.object("strategy", STRATEGY_FIELDS), route) : Strategy.DEFAULT;
        Integer deadline = s.integer("progressDeadlineSeconds", DeploymentSpec.DEFAULT_PROGRESS_DEADLINE_SECONDS,
                1, Integer.MAX_VALUE, POSITIVE_SECONDS);
        Integer history = s.integer("revisionHistoryLimit", DeploymentSpec.DEFAULT_REVISION_HISTORY_LIMIT,
                0, Integer.MAX_VALUE, "must be 0 or more");
        Integer minReady = s.integer("minReadySeconds", 0, 0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
        PlacementReader placement = new PlacementReader(r, this);
        Map<String, String> nodeSelector = placement.selector(s, "nodeSelector");
        NodeAffinity affinity = placement.affinity(s.object("nodeAffinity", PlacementReader.AFFINITY_FIELDS));
        List<SpecOverride> overrides = s.has("overrides")
                ? placement.overrides(s, template == null ? Template.DEFAULT_PORT_ENV : template.portEnv()) : null;
        if (r.errorCount() != before) {
            return null;
        }
        return new DeploymentSpec(replicas, route, template, strategy, deadline, history, minReady, nodeSelector, affinity, overrides);
    }

    private RouteSpec route(Obj o) {
        if (o == null) {
            return null;
        }
        int before = r.errorCount();
        Integer port = o.require("port") ? o.port("port") : null;
        Protocol protocol = RouteSpec.DEFAULT_PROTOCOL;
        String protocolText = o.string("protocol", null);
        if (protocolText != null) {
            try {
                protocol = Protocol.fromWire(protocolText);
            } catch (IllegalArgumentException e) {
                r.error(o.node("protocol"), o.path("protocol"),
                        "unsupported protocol \"" + protocolText + "\": use http or tcp");
            }
        }
        String bindAddress = o.string("bindAddress", RouteSpec.DEFAULT_BIND_ADDRESS);
        if (bindAddress != null && o.has("bindAddress")) {
            check(o, "bindAddress", Rules.ipLiteral(bindAddress));
        }
        Integer previewPort = o.port("previewPort");
        if (previewPort != null && previewPort.equals(port)) {
            r.error(o.node("previewPort"), o.path("previewPort"),
                    "must differ from port (" + port + "): the preview listener is a second listener");
        }
        Integer drain = o.integer("drainTimeoutSeconds", RouteSpec.DEFAULT_DRAIN_TIMEOUT_SECONDS,
                0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
        List<String> hosts = o.has("hosts") ? hosts(o) : List.of();
        String prefix = o.string("pathPrefix", null);
        if (prefix != null) {
            check(o, "pathPrefix", HostRules.pathPrefix(prefix));
        }
        boolean strip = o.bool("stripPathPrefix", true);
        RouteSpec.RouteTls tls = o.has("tls") ? tls(o.object("tls", TLS_FIELDS)) : null;
        if (hosts != null && hosts.isEmpty()) {
            for (String needsHosts : List.of("pathPrefix", "stripPathPrefix", "tls")) {
                if (o.has(needsHosts)) {
                    r.error(o.node(needsHosts), o.path(needsHosts), "needs hosts: it applies to the shared listeners, which route by host name");
                }
            }
        }
        if (hosts != null && !hosts.isEmpty() && protocol == Protocol.TCP) {
            r.error(o.node("hosts"), o.path("hosts"), "needs protocol http: the shared listeners route HTTP requests by host name");
        }
        if (r.errorCount() != before) {
            return null;
        }
        return new RouteSpec(port, protocol, bindAddress, previewPort, drain, hosts, prefix == null ? null : HostRules.normalPrefix(prefix),
                strip, tls);
    }

    private List<String> hosts(Obj o) {
        List<String> hosts = r.strings(o.node("hosts"), o.path("hosts"));
        if (hosts == null) {
            return null;
        }
        if (hosts.isEmpty()) {
            r.error(o.node("hosts"), o.path("hosts"), "must name at least one host (or leave hosts out)");
            return null;
        }
        List<String> seen = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            String problem = HostRules.hostPattern(h);
            if (problem == null && seen.contains(h)) {
                problem = "host \"" + h + "\" is listed twice";
            }
            if (problem != null) {
                r.error(o.node("hosts"), o.path("hosts") + "[" + i + "]", problem);
                ok = false;
            }
            seen.add(h);
        }
        return ok ? hosts : null;
    }

    private RouteSpec.RouteTls tls(Obj t) {
        if (t == null) {
            return null;
        }
        int before = r.errorCount();
        String cert = t.require("certificateFile") ? t.string("certificateFile", null) : null;
        String key = t.require("privateKeyFile") ? t.string("privateKeyFile", null) : null;
        for (String f : List.of("certificateFile", "privateKeyFile")) {
            String v = t.string(f, null);
            if (v != null && !v.startsWith("/")) {
                r.error(t.node(f), t.path(f), "must be an absolute path, got \"" + v + "\"");
            }
        }
        boolean redirect = t.bool("redirect", true);
        Integer hsts = t.integer("hstsMaxAgeSeconds", null, 0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
        if (r.errorCount() != before) {
            return null;
        }
        return new RouteSpec.RouteTls(cert, key, redirect, hsts);
    }

    private Template template(Obj t) {
        if (t == null) {
            return null;
        }
        int before = r.errorCount();
        List<String> command = t.require("command") ? command(t) : null;
        List<String> args = t.has("args") ? r.strings(t.node("args"), t.path("args")) : List.of();
        String portEnv = t.string("portEnv", Template.DEFAULT_PORT_ENV);
        if (portEnv != null && t.has("portEnv")) {
            String problem = Rules.envName(portEnv);
            if (problem == null && portEnv.equals(ARTIFACT_ENV)) {
                problem = "ARTIFACT is reserved: orch sets it to the artifact's path";
            }
            check(t, "portEnv", problem);
        }
        List<EnvVar> env = t.has("env") ? env(t, portEnv) : List.of();
        String workingDir = t.string("workingDir", null);
        if (workingDir != null) {
            check(t, "workingDir", Rules.absolutePath(workingDir));
        }
        String user = t.string("user", null);
        if (user != null) {
            check(t, "user", Rules.linuxUser(user));
        }
        Artifact artifact = t.has("artifact") ? new ArtifactReader(r).artifact(t.object("artifact", ArtifactReader.ARTIFACT_FIELDS)) : null;
        Probe readiness = t.has("readinessProbe") ? probe(t.object("readinessProbe", PROBE_FIELDS), false) : null;
        Probe liveness = t.has("livenessProbe") ? probe(t.object("livenessProbe", PROBE_FIELDS), true) : null;
        Resources resources = t.has("resources") ? resources(t.object("resources", RESOURCES_FIELDS)) : Resources.NONE;
        Hardening hardening = t.has("hardening") ? hardening(t.object("hardening", HARDENING_FIELDS)) : Hardening.DEFAULTS;
        Integer grace = t.integer("terminationGracePeriodSeconds", Template.DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS,
                0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
        List<SecretFile> secretFiles = t.has("secretFiles") ? new SealedReader(r).secretFiles(t, env) : List.of();
        if (r.errorCount() != before) {
            return null;
        }
        return new Template(command, args, env, workingDir, user, portEnv, artifact, readiness, liveness,
                resources, hardening, grace, secretFiles);
    }

    private List<String> command(Obj t) {
        List<String> command = r.strings(t.node("command"), t.path("command"));
        if (command == null) {
            return null;
        }
        if (command.isEmpty()) {
            r.error(t.node("command"), t.path("command"), "must not be empty: give the program to run first");
            return null;
        }
        String program = command.get(0);
        Node programNode = ((SequenceNode) t.node("command")).getValue().get(0);
        String path = t.path("command") + "[0]";
        String problem = program.isEmpty() ? "must not be empty" : Rules.absolutePath(program);
        if (problem != null) {
            // both drivers exec it directly: no shell, no $PATH lookup
            r.error(programNode, path, "the program must be an absolute path such as /usr/bin/python3: " + problem);
            return null;
        }
        return command;
    }

    List<EnvVar> env(Obj t, String portEnv) {
        List<Node> items = r.list(t.node("env"), t.path("env"), "{name, value} mappings");
        if (items == null) {
            return null;
        }
        List<EnvVar> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = t.path("env") + "[" + i + "]";
            Obj e = r.object(item, item.getStartMark(), itemPath, ENV_FIELDS);
            if (e == null) {
                continue;
            }
            String name = e.require("name") ? e.string("name", null) : null;
            String sealed = e.has("sealedValue") ? new SealedReader(r).sealedValue(e, "sealedValue") : null;
            if (e.has("sealedValue") && e.has("value")) {
                r.error(e.node("sealedValue"), e.path("sealedValue"), "set either value or sealedValue, not both");
            }
            String value = e.has("sealedValue") ? null : e.string("value", "");
            if (name == null) {
                continue;
            }
            String problem = Rules.envName(name);
            if (problem == null && name.equals(ARTIFACT_ENV)) {
                problem = "ARTIFACT is reserved: orch sets it to the artifact's path";
            } else if (problem == null && name.equals(portEnv)) {
                problem = name + " is reserved: orch sets it to the color's port (see portEnv)";
            } else if (problem == null && seen.containsKey(name)) {
                problem = "duplicate environment variable \"" + name + "\" (env[" + seen.get(name) + "] and env[" + i + "])";
            }
            if (problem != null) {
                r.error(e.node("name"), e.path("name"), problem);
            }
            seen.putIfAbsent(name, i);
            out.add(new EnvVar(name, value, sealed));
        }
        return out;
    }

    private Probe probe(Obj p, boolean liveness) {
        if (p == null) {
            return null;
        }
        int before = r.errorCount();
        List<String> handlers = new ArrayList<>();
        for (String h : List.of("httpGet", "tcpSocket", "exec")) {
            if (p.has(h)) {
                handlers.add(h);
            }
        }
        if (handlers.isEmpty()) {
            r.error(p.at, p.path, "set exactly one of httpGet, tcpSocket or exec");
        } else if (handlers.size() > 1) {
            r.error(p.mark(handlers.get(1)), p.path, "set only one of httpGet, tcpSocket or exec (found "
                    + String.join(" and ", handlers) + ")");
        }
        Probe.HttpGetAction httpGet = p.has("httpGet") ? httpGet(p.object("httpGet", HTTP_GET_FIELDS)) : null;
        Probe.TcpSocketAction tcp = p.has("tcpSocket") ? tcpSocket(p.object("tcpSocket", TCP_SOCKET_FIELDS)) : null;
        Probe.ExecAction exec = null;
        if (p.has("exec")) {
            Obj e = p.object("exec", EXEC_FIELDS);
            if (e != null && e.require("command")) {
                List<String> command = r.strings(e.node("command"), e.path("command"));
                if (command != null && command.isEmpty()) {
                    r.error(e.node("command"), e.path("command"), "must not be empty: give the program to run first");
                } else if (command != null) {
                    exec = new Probe.ExecAction(command);
                }
            }
        }
        Integer initialDelay = p.integer("initialDelaySeconds", Probe.DEFAULT_INITIAL_DELAY_SECONDS,
                0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
        Integer period = p.integer("periodSeconds", Probe.DEFAULT_PERIOD_SECONDS, 1, Integer.MAX_VALUE, POSITIVE_SECONDS);
        Integer timeout = p.integer("timeoutSeconds", Probe.DEFAULT_TIMEOUT_SECONDS, 1, Integer.MAX_VALUE, POSITIVE_SECONDS);
        Integer success = p.integer("successThreshold", Probe.DEFAULT_SUCCESS_THRESHOLD, 1, Integer.MAX_VALUE, "must be 1 or more");
        if (liveness && success != null && success != 1) {
            r.error(p.node("successThreshold"), p.path("successThreshold"),
                    "must be 1 for a livenessProbe (as in Kubernetes), got " + success);
        }
        Integer failure = p.integer("failureThreshold", Probe.DEFAULT_FAILURE_THRESHOLD, 1, Integer.MAX_VALUE, "must be 1 or more");
        if (r.errorCount() != before) {
            return null;
        }
        return new Probe(httpGet, tcp, exec, initialDelay, period, timeout, success, failure);
    }

    private Probe.HttpGetAction httpGet(Obj h) {
        if (h == null) {
            return null;
        }
        int before = r.errorCount();
        String path = h.string("path", Probe.DEFAULT_HTTP_PATH);
        if (path != null && !path.startsWith("/")) {
            r.error(h.node("path"), h.path("path"), "must start with '/', got \"" + path + "\"");
        }
        Integer port = h.port("port");
        String host = h.string("host", Probe.DEFAULT_HOST);
        if (host != null && h.has("host")) {
            check(h, "host", Rules.host(host));
        }
        String scheme = h.string("scheme", Probe.DEFAULT_SCHEME);
        if (scheme != null && !scheme.equals("HTTP") && !scheme.equals("HTTPS")) {
            r.error(h.node("scheme"), h.path("scheme"), "unsupported scheme \"" + scheme + "\": use HTTP or HTTPS");
        }
        List<Probe.HttpHeader> headers = new ArrayList<>();
        if (h.has("httpHeaders")) {
            List<Node> items = r.list(h.node("httpHeaders"), h.path("httpHeaders"), "{name, value} mappings");
            for (int i = 0; items != null && i < items.size(); i++) {
                String itemPath = h.path("httpHeaders") + "[" + i + "]";
                Obj o = r.object(items.get(i), items.get(i).getStartMark(), itemPath, HEADER_FIELDS);
                if (o == null) {
                    continue;
                }
                String name = o.require("name") ? o.string("name", null) : null;
                if (name != null) {
                    check(o, "name", Rules.httpHeaderName(name));
                }
                headers.add(new Probe.HttpHeader(name, o.string("value", "")));
            }
        }
        if (r.errorCount() != before) {
            return null;
        }
        return new Probe.HttpGetAction(path, port, host, scheme, headers);
    }

    private Probe.TcpSocketAction tcpSocket(Obj t) {
        if (t == null) {
            return null;
        }
        int before = r.errorCount();
        Integer port = t.port("port");
        String host = t.string("host", Probe.DEFAULT_HOST);
        if (host != null && t.has("host")) {
            check(t, "host", Rules.host(host));
        }
        return r.errorCount() == before ? new Probe.TcpSocketAction(port, host) : null;
    }

    private Resources resources(Obj res) {
        if (res == null) {
            return null;
        }
        Obj limits = res.object("limits", LIMITS_FIELDS);
        if (limits == null) {
            return res.has("limits") ? null : Resources.NONE;
        }
        int before = r.errorCount();
        String memory = quantity(limits, "memory", "a memory quantity such as 512Mi");
        if (memory != null) {
            try {
                Quantities.parseMemory(memory);
            } catch (IllegalArgumentException e) {
                r.error(limits.node("memory"), limits.path("memory"), e.getMessage());
            }
        }
        String cpu = quantity(limits, "cpu", "a cpu quantity such as 500m or 1.5");
        if (cpu != null) {
            try {
                Quantities.parseCpuMillis(cpu);
            } catch (IllegalArgumentException e) {
                r.error(limits.node("cpu"), limits.path("cpu"), e.getMessage());
            }
        }
        return r.errorCount() == before ? new Resources(new Resources.Limits(memory, cpu)) : null;
    }

    private String quantity(Obj limits, String key, String expected) {
        Node n = limits.node(key);
        return n == null ? null : r.scalarText(n, limits.path(key), expected);
    }

    private Hardening hardening(Obj h) {
        if (h == null) {
            return null;
        }
        int before = r.errorCount();
        Hardening d = Hardening.DEFAULTS;
        String protectSystem = choice(h, "protectSystem", d.protectSystem(), List.of("strict", "full", "true", "false"));
        String protectHome = choice(h, "protectHome", d.protectHome(), List.of("true", "read-only", "tmpfs", "false"));
        List<String> readWritePaths = List.of();
        if (h.has("readWritePaths")) {
            readWritePaths = r.strings(h.node("readWritePaths"), h.path("readWritePaths"));
            List<Node> items = readWritePaths == null ? List.of() : ((SequenceNode) h.node("readWritePaths")).getValue();
            for (int i = 0; i < items.size(); i++) {
                String problem = Rules.absolutePath(readWritePaths.get(i));
                if (problem != null) {
                    r.error(items.get(i), h.path("readWritePaths") + "[" + i + "]", problem);
                }
            }
        }
        Hardening result = new Hardening(
                h.bool("noNewPrivileges", d.noNewPrivileges()),
                protectSystem,
                protectHome,
                h.bool("privateTmp", d.privateTmp()),
                h.bool("privateDevices", d.privateDevices()),
                h.bool("protectKernelTunables", d.protectKernelTunables()),
                h.bool("protectKernelModules", d.protectKernelModules()),
                h.bool("protectKernelLogs", d.protectKernelLogs()),
                h.bool("protectControlGroups", d.protectControlGroups()),
                h.bool("restrictSUIDSGID", d.restrictSUIDSGID()),
                readWritePaths);
        return r.errorCount() == before ? result : null;
    }

    /** A string from a fixed set; YAML booleans are accepted as "true"/"false" (ProtectSystem=true is systemd's). */
    private String choice(Obj o, String key, String defaultValue, List<String> allowed) {
        Node n = o.node(key);
        if (n == null) {
            return defaultValue;
        }
        String value = r.stringOrBoolText(n, o.path(key));
        if (value != null && !allowed.contains(value)) {
            r.error(n, o.path(key), "unsupported value \"" + value + "\": use one of " + String.join(", ", allowed));
            return null;
        }
        return value;
    }

    private Strategy strategy(Obj s, RouteSpec route) {
        if (s == null) {
            return null;
        }
        int before = r.errorCount();
        String type = s.string("type", s.has("canary") ? Strategy.CANARY : Strategy.BLUE_GREEN);
        if (type != null && !type.equals(Strategy.BLUE_GREEN) && !type.equals(Strategy.CANARY)) {
            r.error(s.node("type"), s.path("type"), "unsupported strategy type \"" + type + "\": use BlueGreen or Canary");
        }
        if (s.has("canary") && s.has("blueGreen")) {
            r.error(s.node("canary"), s.path("canary"), "set either blueGreen or canary, not both: they are different strategies");
            return null;
        }
        if (Strategy.CANARY.equals(type) || s.has("canary")) {
            if (Strategy.BLUE_GREEN.equals(type) && s.has("type")) {
                r.error(s.node("type"), s.path("type"), "type BlueGreen does not go with canary: write type: Canary or leave type out");
                return null;
            }
            if (!s.require("canary")) {
                return null;
            }
            if (route != null && route.protocol() == Protocol.TCP) {
                r.error(s.node("canary"), s.path("canary"), "a canary splits HTTP requests by weight and cookie: it needs route.protocol http, not tcp");
                return null;
            }
            Strategy.Canary canary = canary(s.object("canary", CANARY_FIELDS));
            return r.errorCount() == before && canary != null ? Strategy.canary(canary) : null;
        }
        Strategy.BlueGreen blueGreen = Strategy.BlueGreen.DEFAULT;
        if (s.has("blueGreen")) {
            Obj b = s.object("blueGreen", BLUE_GREEN_FIELDS);
            if (b != null) {
                boolean autoPromote = b.bool("autoPromote", true);
                Integer keepWarm = b.integer("keepWarmSeconds", Strategy.BlueGreen.DEFAULT_KEEP_WARM_SECONDS,
                        0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS);
                Strategy.Bake bake = b.has("bake") ? bake(b.object("bake", BAKE_FIELDS)) : Strategy.Bake.DEFAULT;
                Integer restarts = b.integer("crashLoopRestarts", Strategy.BlueGreen.DEFAULT_CRASH_LOOP_RESTARTS, 0, 1000,
                        "must be from 0 (wait for the deadline) to 1000 restarts");
                List<SmokeCheck> smoke = b.has("smokeChecks") ? new SmokeCheckReader(r).smokeChecks(b, route == null ? null : route.protocol()) : null;
                blueGreen = keepWarm == null || bake == null || restarts == null ? null
                        : new Strategy.BlueGreen(autoPromote, keepWarm, bake, restarts, smoke);
            }
        }
        return r.errorCount() == before ? new Strategy(type, blueGreen) : null;
    }

    private Strategy.Canary canary(Obj c) {
        if (c == null || !c.require("steps")) {
            return null;
        }
        List<Node> items = r.list(c.node("steps"), c.path("steps"), "steps ({setWeight: N} or {pause: {durationSeconds: N}})");
        if (items == null) {
            return null;
        }
        if (items.isEmpty()) {
            r.error(c.node("steps"), c.path("steps"), "needs at least one step, e.g. - setWeight: 10");
            return null;
        }
        int before = r.errorCount();
        List<Strategy.Step> steps = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            Node item = items.get(i);
            String itemPath = c.path("steps") + "[" + i + "]";
            Obj st = r.object(item, item.getStartMark(), itemPath, STEP_FIELDS);
            if (st == null) {
                continue;
            }
            if (st.has("setWeight") == st.has("pause")) {
                r.error(item, itemPath, "each step is either setWeight (a percentage) or pause ({durationSeconds: N}, or {} to wait for"
                        + " 'orchctl rollout promote'), exactly one of them");
                continue;
            }
            if (st.has("setWeight")) {
                Integer w = st.integer("setWeight", 0, 0, 100, "must be a percentage from 0 to 100");
                if (w != null) {
                    steps.add(Strategy.Step.weight(w));
                }
            } else {
                Obj p = st.object("pause", PAUSE_FIELDS);
                if (p != null) {
                    Integer d = p.has("durationSeconds") ? p.integer("durationSeconds", 0, 0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS) : null;
                    if (d != null || !p.has("durationSeconds")) {
                        steps.add(Strategy.Step.pauseFor(d));
                    }
                }
            }
        }
        Strategy.Analysis analysis = Strategy.Analysis.DEFAULT;
        if (c.has("analysis")) {
            Obj a = c.object("analysis", ANALYSIS_FIELDS);
            if (a == null) {
                return null;
            }
            Strategy.Analysis d = Strategy.Analysis.DEFAULT;
            boolean on = a.bool("enabled", true);
            Integer interval = a.integer("intervalSeconds", d.intervalSeconds(), 1, Integer.MAX_VALUE, POSITIVE_SECONDS);
            Double errors = a.decimal("max5xxPercent", d.max5xxPercent(), 0, 100, "must be a percentage from 0 to 100");
            Double ratio = a.decimal("maxP99Ratio", d.maxP99Ratio(), 1, 1000, "must be a ratio from 1 to 1000");
            Integer limit = a.integer("failureLimit", d.failureLimit(), 1, 1000, "must be from 1 to 1000 failed intervals");
            if (interval == null || errors == null || ratio == null || limit == null) {
                return null;
            }
            analysis = new Strategy.Analysis(on, interval, errors, ratio, limit);
        }
        return r.errorCount() == before ? new Strategy.Canary(steps, analysis) : null;
    }

    private Strategy.Bake bake(Obj b) {
        if (b == null) {
            return null;
        }
        Strategy.Bake d = Strategy.Bake.DEFAULT;
        Integer duration = b.integer("durationSeconds", d.durationSeconds(), 0, Integer.MAX_VALUE, NON_NEGATIVE_SECONDS + " (0 turns the bake off)");
        Integer interval = b.integer("intervalSeconds", d.intervalSeconds(), 1, Integer.MAX_VALUE, POSITIVE_SECONDS);
        Double errors = b.decimal("max5xxPercent", d.max5xxPercent(), 0, 100, "must be a percentage from 0 to 100");
        Double ratio = b.decimal("maxP99Ratio", d.maxP99Ratio(), 1, 1000, "must be a ratio from 1 to 1000");
        Integer limit = b.integer("failureLimit", d.failureLimit(), 1, 1000, "must be from 1 to 1000 failed intervals");
        if (duration == null || interval == null || errors == null || ratio == null || limit == null) {
            return null;
        }
        return new Strategy.Bake(duration, interval, errors, ratio, limit);
    }

    private void check(Obj o, String key, String problem) {
        if (problem != null) {
            r.error(o.node(key), o.path(key), problem);
        }
    }
}
