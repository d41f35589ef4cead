package db.core.support;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Every exception linked to a {@link SQLException}, in the order an {@link db.api.spi.ErrorMapper} should read
 * them: breadth-first over {@link Throwable#getCause() causes} and
 * {@link SQLException#getNextException() next exceptions} (where a {@link java.sql.BatchUpdateException}
 * keeps the real error), each once, at most {@value #MAX_LENGTH} of them, so cycles and absurd chains
 * cannot hang a mapper.
 */
public final class ExceptionChain {

    /** How many linked exceptions are looked at, at most. */
    public static final int MAX_LENGTH = 64;

    private ExceptionChain() {
    }

    /**
     * {@return {@code exception} first, then what it links to, breadth-first, without repeats}
     *
     * @param exception the head of the chain
     */
    public static List<Throwable> of(SQLException exception) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Throwable> queue = new ArrayDeque<>();
        queue.add(exception);
        while (!queue.isEmpty() && chain.size() < MAX_LENGTH) {
            Throwable t = queue.poll();
            if (!seen.add(t)) {
                continue;
            }
            chain.add(t);
            if (t instanceof SQLException sqlException && sqlException.getNextException() != null) {
                queue.add(sqlException.getNextException());
            }
            if (t.getCause() != null) {
                queue.add(t.getCause());
            }
        }
        return chain;
    }
}
