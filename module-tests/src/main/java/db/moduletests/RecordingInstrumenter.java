package db.moduletests;

import db.api.spi.Instrumentation;
import db.api.spi.InstrumentationContext;
import db.api.spi.PoolEvent;
import db.api.spi.QueryContext;
import db.api.spi.QueryInstrumenter;
import db.api.spi.QueryObservation;
import db.api.spi.QueryOutcome;
import db.api.spi.TransactionContext;
import db.api.spi.TransactionObservation;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test instrumenter that records what the core tells it, for databases whose config sets
 * {@code db.test.record=true}; others get no instrumentation from it. Records are kept per pool name
 * so test classes running in parallel do not see each other's.
 */
public final class RecordingInstrumenter implements QueryInstrumenter {
    /** Config key that turns recording on for a database. */
    public static final String RECORD = "db.test.record";

    // Test-only registry: the test reaches the records of "its" database through the pool name.
    private static final Map<String, Recording> RECORDINGS = new ConcurrentHashMap<>();

    /** Found by {@link java.util.ServiceLoader}; the records live in a static registry. */
    public RecordingInstrumenter() {
    }

    /** One statement as the core reported it. */
    public record Event(QueryContext query, QueryOutcome outcome) {
    }

    /** What one database reported. */
    public static final class Recording {
        private final List<Event> queries = new CopyOnWriteArrayList<>();
        private final List<PoolEvent> poolEvents = new CopyOnWriteArrayList<>();
        private final List<QueryContext> started = new CopyOnWriteArrayList<>();
        private final List<String> transactionEnds = new CopyOnWriteArrayList<>();

        private Recording() {
        }

        /** Finished statements, in order. */
        public List<Event> queries() {
            return List.copyOf(queries);
        }

        /** Statements begun (finished or not). */
        public List<QueryContext> started() {
            return List.copyOf(started);
        }

        /** Pool events, in order. */
        public List<PoolEvent> poolEvents() {
            return List.copyOf(poolEvents);
        }

        /** {@code COMMIT} and {@code ROLLBACK} as transaction observations were told of them, in order. */
        public List<String> transactionEnds() {
            return List.copyOf(transactionEnds);
        }

        /** Forgets everything recorded so far. */
        public void clear() {
            queries.clear();
            poolEvents.clear();
            started.clear();
            transactionEnds.clear();
        }
    }

    /** The recording of the database with this pool name, created on first use. */
    public static Recording recording(String poolName) {
        return RECORDINGS.computeIfAbsent(poolName, name -> new Recording());
    }

    @Override
    public String name() {
        return "recording";
    }

    @Override
    public int priority() {
        return -100;
    }

    @Override
    public Instrumentation open(InstrumentationContext context) {
        if (!context.config().booleanProperty(RECORD, false)) {
            return Instrumentation.NOOP;
        }
        Recording recording = recording(context.poolName());
        return new Instrumentation() {
            @Override
            public QueryObservation beforeQuery(QueryContext query) {
                recording.started.add(query);
                return outcome -> recording.queries.add(new Event(query, outcome));
            }

            @Override
            public TransactionObservation beginTransaction(TransactionContext transaction) {
                // Only the methods without a server: as an instrumenter written before they had one.
                return new TransactionObservation() {
                    @Override
                    public QueryObservation beforeCommit() {
                        recording.transactionEnds.add("COMMIT");
                        return QueryObservation.NOOP;
                    }

                    @Override
                    public QueryObservation beforeRollback() {
                        recording.transactionEnds.add("ROLLBACK");
                        return QueryObservation.NOOP;
                    }
                };
            }

            @Override
            public void poolEvent(PoolEvent event) {
                recording.poolEvents.add(event);
            }

            @Override
            public void close() {
                RECORDINGS.remove(context.poolName(), recording);
            }
        };
    }
}
