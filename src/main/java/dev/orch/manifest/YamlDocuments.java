package dev.orch.manifest;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.comments.CommentLine;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Turns YAML text into node trees (one per document) with SnakeYAML's composer: no object construction,
 * and hard limits on nesting and aliases that fail at the offending event. Aliases are never expanded: an
 * alias is the same node object as its anchor, and the schema walk has bounded depth. Every node written
 * with an explicit tag is recorded, so the schema walk can refuse it where it knows the field.
 */
final class YamlDocuments {
    private YamlDocuments() {}

    /** A parse limit was hit; fatal for the whole file. */
    static final class LimitExceeded extends RuntimeException {
        final Mark mark;

        LimitExceeded(Mark mark, String message) {
            super(message, null, false, false);
            this.mark = mark;
        }
    }

    /**
     * @param nodes the non-empty documents, in order
     * @param tags the nodes written with an explicit tag ({@code !!bool}, {@code !custom}, {@code !}), by identity,
     *     with the tag as written (global tags shortened to {@code !!name})
     */
    record Documents(List<Node> nodes, Map<Node, String> tags) {}

    static Documents compose(String text, ManifestLoader.Limits limits) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the schema walk reports duplicates with their position
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        options.setProcessComments(false);
        // Any global tag may be composed (nothing is ever constructed); the schema walk refuses it with its field.
        options.setTagInspector(tag -> true);
        options.setCodePointLimit(Math.max(limits.maxFileBytes(), 1));
        // Backstops only: LimitingParser stops earlier with a located message.
        options.setNestingDepthLimit(limits.maxDepth() + 2);
        options.setMaxAliasesForCollections(limits.maxAliases() + 1);
        Parser parser = new LimitingParser(new ParserImpl(new StreamReader(text), options), limits);
        Map<Node, String> tags = new IdentityHashMap<>();
        Composer composer = new TagRecordingComposer(parser, options, tags);
        List<Node> documents = new ArrayList<>();
        while (composer.checkNode()) {
            Node node = composer.getNode();
            if (node != null && !isEmptyDocument(node)) {
                documents.add(node);
            }
        }
        return new Documents(documents, tags);
    }

    /** Remembers which nodes carried an explicit tag: the resolved tag alone cannot tell {@code !!bool yes} from {@code true}. */
    private static final class TagRecordingComposer extends Composer {
        private final Map<Node, String> tags;

        TagRecordingComposer(Parser parser, LoaderOptions options, Map<Node, String> tags) {
            super(parser, new StrictResolver(), options);
            this.tags = tags;
        }

        @Override
        protected Node composeScalarNode(String anchor, List<CommentLine> blockComments) {
            String tag = ((ScalarEvent) parser.peekEvent()).getTag();
            return record(super.composeScalarNode(anchor, blockComments), tag);
        }

        @Override
        protected Node composeSequenceNode(String anchor) {
            String tag = ((CollectionStartEvent) parser.peekEvent()).getTag();
            return record(super.composeSequenceNode(anchor), tag);
        }

        @Override
        protected Node composeMappingNode(String anchor) {
            String tag = ((CollectionStartEvent) parser.peekEvent()).getTag();
            return record(super.composeMappingNode(anchor), tag);
        }

        private Node record(Node node, String tag) {
            if (tag != null) {
                tags.put(node, NodeReader.shortTag(tag));
            }
            return node;
        }
    }

    private static boolean isEmptyDocument(Node node) {
        return node instanceof ScalarNode s && Tag.NULL.equals(s.getTag()) && s.getValue().isEmpty();
    }

    /** Counts nesting and aliases as events pass from the parser to the composer. */
    private static final class LimitingParser implements Parser {
        private final Parser delegate;
        private final ManifestLoader.Limits limits;
        private int depth;
        private int aliases;

        LimitingParser(Parser delegate, ManifestLoader.Limits limits) {
            this.delegate = delegate;
            this.limits = limits;
        }

        @Override
        public boolean checkEvent(Event.ID choice) {
            return delegate.checkEvent(choice);
        }

        @Override
        public Event peekEvent() {
            return delegate.peekEvent();
        }

        @Override
        public Event getEvent() {
            Event event = delegate.getEvent();
            switch (event.getEventId()) {
                case MappingStart, SequenceStart -> {
                    if (++depth > limits.maxDepth()) {
                        throw new LimitExceeded(event.getStartMark(), "nesting is deeper than " + limits.maxDepth()
                                + " levels (a manifest needs at most 8); refusing to parse further");
                    }
                }
                case MappingEnd, SequenceEnd -> depth--;
                case Alias -> {
                    if (++aliases > limits.maxAliases()) {
                        throw new LimitExceeded(event.getStartMark(), "more than " + limits.maxAliases()
                                + " aliases in one file; alias use is limited to prevent YAML bombs (billion laughs)");
                    }
                }
                default -> {}
            }
            return event;
        }
    }

    /**
     * YAML 1.2 core-schema-like scalars, so manifests read like JSON: only {@code true}/{@code false} are
     * booleans ({@code yes}, {@code on} are strings), integers are decimal, no timestamps, no merge keys.
     */
    static final class StrictResolver extends Resolver {
        private static final Pattern BOOL = Pattern.compile("^(?:true|false)$");
        private static final Pattern INT = Pattern.compile("^[-+]?[0-9]+$");
        private static final Pattern FLOAT =
                Pattern.compile("^[-+]?(?:\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$");
        private static final Pattern NULL = Pattern.compile("^(?:~|null|Null|NULL)$");
        private static final Pattern EMPTY = Pattern.compile("^$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "tf");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+.0123456789");
            addImplicitResolver(Tag.NULL, NULL, "~nN");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}
