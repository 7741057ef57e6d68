package dev.orch.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * kubectl's ways to name apps on the command line: {@code apps}, {@code app NAME...}, {@code app/NAME...} and a
 * bare {@code NAME}, with the type aliases of a Deployment (app, apps, deployment, deployments, deploy).
 *
 * @param all no name given: every app
 * @param names the apps asked for, in the order given
 */
record ResourceArgs(boolean all, List<String> names) {
    static final List<String> TYPES = List.of("apps", "app", "deployments", "deployment", "deploy", ApplyCommand.KIND);

    /** @throws IllegalArgumentException with the message for the user when a type is unknown or args are empty */
    static ResourceArgs parse(List<String> args) {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("you must specify the type of resource to get: apps, app NAME, app/NAME or NAME");
        }
        if (args.stream().anyMatch(a -> a.contains("/"))) {
            List<String> names = new ArrayList<>();
            for (String a : args) {
                int slash = a.indexOf('/');
                if (slash < 0) {
                    throw new IllegalArgumentException("there is no need to specify a resource type as a separate argument when passing arguments"
                            + " in resource/name form (e.g. 'orchctl get app/web')");
                }
                checkType(a.substring(0, slash));
                names.add(a.substring(slash + 1));
            }
            return new ResourceArgs(false, List.copyOf(names));
        }
        String first = args.getFirst();
        if (TYPES.contains(first.toLowerCase(Locale.ROOT))) {
            List<String> names = List.copyOf(args.subList(1, args.size()));
            return new ResourceArgs(names.isEmpty(), names);
        }
        if (args.size() == 1) {
            return new ResourceArgs(false, List.of(first)); // a bare NAME
        }
        checkType(first);
        throw new AssertionError("unreachable");
    }

    private static void checkType(String type) {
        if (!TYPES.contains(type.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException("unknown resource type \"" + type + "\": use apps (or app, deployment, deploy)");
        }
    }
}
