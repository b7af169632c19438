package dev.sluice.engine;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;

/**
 * Read-only sorted views of a list that is already in order. An empty {@code TreeMap} or {@code TreeSet} given one to
 * {@code putAll} / {@code addAll} builds its tree directly in linear time, instead of one rebalancing insert per element:
 * at a restart with a million messages that is most of the engine's start time. Only what those two calls use is
 * implemented.
 */
final class SortedViews {
    private SortedViews() {}

    /** Messages in sequence order as a map from sequence (natural order, like {@code Queue}'s ready map). */
    static SortedMap<Long, Message> bySequence(List<Message> inSequenceOrder) {
        return new ListMap(inSequenceOrder);
    }

    /** Messages already sorted by {@code order}, as a set with that comparator. */
    static SortedSet<Message> sortedBy(List<Message> sorted, Comparator<Message> order) {
        return new ListSet(sorted, order);
    }

    private static final class ListMap extends AbstractMap<Long, Message> implements SortedMap<Long, Message> {
        private final List<Message> messages;

        ListMap(List<Message> messages) {
            this.messages = messages;
        }

        @Override
        public Set<Entry<Long, Message>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<Long, Message>> iterator() {
                    Iterator<Message> each = messages.iterator();
                    return new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return each.hasNext();
                        }

                        @Override
                        public Entry<Long, Message> next() {
                            Message message = each.next();
                            return Map.entry(message.sequence, message);
                        }
                    };
                }

                @Override
                public int size() {
                    return messages.size();
                }
            };
        }

        @Override
        public int size() {
            return messages.size();
        }

        @Override
        public Comparator<? super Long> comparator() {
            return null;
        }

        @Override
        public SortedMap<Long, Message> subMap(Long fromKey, Long toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<Long, Message> headMap(Long toKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedMap<Long, Message> tailMap(Long fromKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Long firstKey() {
            return messages.getFirst().sequence;
        }

        @Override
        public Long lastKey() {
            return messages.getLast().sequence;
        }
    }

    private static final class ListSet extends AbstractSet<Message> implements SortedSet<Message> {
        private final List<Message> messages;
        private final Comparator<Message> order;

        ListSet(List<Message> messages, Comparator<Message> order) {
            this.messages = messages;
            this.order = order;
        }

        @Override
        public Iterator<Message> iterator() {
            return messages.iterator();
        }

        @Override
        public int size() {
            return messages.size();
        }

        @Override
        public Comparator<? super Message> comparator() {
            return order;
        }

        @Override
        public SortedSet<Message> subSet(Message from, Message to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Message> headSet(Message to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Message> tailSet(Message from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Message first() {
            return messages.getFirst();
        }

        @Override
        public Message last() {
            return messages.getLast();
        }
    }
}
