package db.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import db.core.support.ExceptionChain;
import db.core.support.ForwardingConnection;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.RandomAccess;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The generated forwarding (build-tools/GenerateForwarding.java) is complete and routes every failure
 * through the one hook: each wrapper implements every method of its {@code java.sql} interface in a class
 * (none falls back to an interface's default), and every method that reaches the driver and fails there
 * marks the session broken and throws the driver's exception. The driver here is a stand-in whose every
 * method throws a fatal SQLSTATE; {@code SessionSuiteTest} shows the same against a real PostgreSQL.
 */
class GeneratedForwardingTest {
    private static final String FATAL = "08006";

    /** Methods that by design answer without the driver: they lead back to the session's own objects. */
    private static final Set<String> ANSWERED_BY_THE_WRAPPER = Set.of(
            "Statement.getConnection()", "PreparedStatement.getConnection()", "CallableStatement.getConnection()",
            "ResultSet.getStatement()", "DatabaseMetaData.getConnection()");

    /** Closing the handle ends the session (it goes back to a pool): SessionSuiteTest covers it, with a pool. */
    private static final String HANDLE_CLOSE = "Connection.close()";

    @Test
    void everyWrapperImplementsEveryMethodOfItsInterface() {
        Map<Class<?>, Class<?>> wrappers = Map.of(
                StatementWrapper.class, Statement.class,
                PreparedStatementWrapper.class, PreparedStatement.class,
                CallableStatementWrapper.class, CallableStatement.class,
                ResultSetWrapper.class, ResultSet.class,
                DatabaseMetaDataWrapper.class, DatabaseMetaData.class,
                ConnectionWrapper.class, Connection.class);
        wrappers.forEach((wrapper, iface) -> {
            List<String> missing = new ArrayList<>();
            for (Method m : interfaceMethods(iface)) {
                Method implemented = implementation(wrapper, m);
                if (implemented.getDeclaringClass().isInterface() || Modifier.isAbstract(implemented.getModifiers())) {
                    missing.add(signature(m));
                }
            }
            assertThat(missing).as("%s forwards every method of %s", wrapper.getSimpleName(), iface.getName())
                    .isEmpty();
            assertThat(interfaceMethods(iface)).as("the check saw the methods").hasSizeGreaterThan(2);
        });
    }

    @Test
    void aFatalFailureOfAnyStatementMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(Statement.class, (c, thrown) -> c.createStatement());
    }

    @Test
    void aFatalFailureOfAnyPreparedStatementMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(PreparedStatement.class, (c, thrown) -> c.prepareStatement("select ?"));
    }

    @Test
    void aFatalFailureOfAnyCallableStatementMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(CallableStatement.class, (c, thrown) -> c.prepareCall("{call f(?)}"));
    }

    @Test
    void aFatalFailureOfAnyDatabaseMetaDataMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(DatabaseMetaData.class, (c, thrown) -> c.getMetaData());
    }

    @Test
    void aFatalFailureOfAnyResultSetMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(ResultSet.class,
                (c, thrown) -> ResultSetWrapper.of(Driver.throwing(ResultSet.class, thrown), null, session(c)));
    }

    @Test
    void aFatalFailureOfAnyConnectionMethodMarksTheSessionBroken() throws SQLException {
        assertEveryFailureMarksTheSessionBroken(Connection.class, (c, thrown) -> c);
    }

    /**
     * The public ForwardingConnection (the base of providers' wrappers) forwards every method: each call
     * reaches the delegate once, and the delegate's exception leaves unchanged.
     */
    @Test
    void aForwardingConnectionForwardsEveryMethod() {
        List<String> notForwarded = new ArrayList<>();
        for (Method m : interfaceMethods(Connection.class)) {
            if (!declaresSqlException(m)) {
                continue;
            }
            List<SQLException> thrown = new ArrayList<>();
            Connection forwarding = new ForwardingConnection(Driver.throwing(Connection.class, thrown)) {
            };
            Throwable failure = invoke(forwarding, m);
            if (thrown.size() != 1 || failure != thrown.get(0)) {
                notForwarded.add(signature(m));
            }
        }
        assertThat(notForwarded).as("methods that did not reach the delegate once, its failure unchanged").isEmpty();
        assertThat(interfaceMethods(Connection.class)).hasSizeGreaterThan(50);
    }

    @FunctionalInterface
    private interface Opener {
        Object open(Connection handle, List<SQLException> thrown) throws SQLException;
    }

    /**
     * Calls every method of {@code iface} on a fresh session's wrapper (made by {@code opener} from the
     * session's handle) over a driver whose every call fails with a fatal SQLSTATE.
     */
    private static void assertEveryFailureMarksTheSessionBroken(Class<?> iface, Opener opener) throws SQLException {
        List<String> problems = new ArrayList<>();
        Set<String> answered = new TreeSet<>();
        int reached = 0;
        for (Method m : interfaceMethods(iface)) {
            if (!declaresSqlException(m) || (iface.getSimpleName() + "." + signature(m)).equals(HANDLE_CLOSE)) {
                continue; // nothing to route (getDriverMajorVersion), or not without a pool
            }
            List<SQLException> thrown = new ArrayList<>();
            SessionImpl session = newSession(Driver.connection(iface == Connection.class, thrown));
            Object wrapper = opener.open(session.connection(), thrown);
            assertThat(thrown).as("opening the wrapper fails nothing").isEmpty();
            Throwable failure = invoke(wrapper, m);
            if (thrown.isEmpty()) {
                answered.add(iface.getSimpleName() + "." + signature(m));
                continue;
            }
            reached++;
            if (!(failure instanceof SQLException sqlFailure) || !ExceptionChain.of(sqlFailure).contains(thrown.get(0))) {
                problems.add(signature(m) + " threw " + failure + " instead of the driver's failure");
            } else if (!session.broken()) {
                problems.add(signature(m) + " did not mark the session broken");
            }
        }
        assertThat(problems).isEmpty();
        assertThat(reached).as("methods that reached the driver").isGreaterThan(2);
        Set<String> expected = new TreeSet<>();
        for (String name : ANSWERED_BY_THE_WRAPPER) {
            if (name.startsWith(iface.getSimpleName() + ".")) {
                expected.add(name);
            }
        }
        assertThat(answered).as("methods that answered without the driver").isEqualTo(expected);
    }

    private static boolean declaresSqlException(Method m) {
        return Arrays.stream(m.getExceptionTypes()).anyMatch(SQLException.class::isAssignableFrom);
    }

    private static SessionImpl newSession(Connection physical) {
        QueryHooks hooks = new QueryHooks(List.of(), new ErrorTranslator(List.of(), false, Duration.ZERO), false);
        return new SessionImpl(null, physical, hooks, new SessionReset(SessionReset.Policy.AUTO),
                new LeakDetector(Duration.ZERO, null, "forwarding-test", age -> { }));
    }

    private static SessionImpl session(Connection handle) {
        return ((ConnectionWrapper) handle).session();
    }

    /** What {@code m} threw on {@code target} (null if it returned). */
    private static Throwable invoke(Object target, Method m) {
        try {
            m.invoke(target, arguments(m));
            return null;
        } catch (InvocationTargetException e) {
            return e.getCause();
        } catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }

    private static Object[] arguments(Method m) {
        return Arrays.stream(m.getParameterTypes()).map(GeneratedForwardingTest::argument).toArray();
    }

    private static Object argument(Class<?> type) {
        if (type == boolean.class) {
            return true;
        }
        if (type == byte.class) {
            return (byte) 1;
        }
        if (type == short.class) {
            return (short) 1;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == float.class) {
            return 1f;
        }
        if (type == double.class) {
            return 1d;
        }
        if (type == String.class) {
            return "x";
        }
        if (type == Class.class) {
            return RandomAccess.class; // nothing here implements it: unwrap and isWrapperFor ask the driver
        }
        if (type.isArray()) {
            return java.lang.reflect.Array.newInstance(type.getComponentType(), 0);
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == Properties.class) {
            return new Properties();
        }
        if (type == Executor.class) {
            return (Executor) Runnable::run;
        }
        return null;
    }

    /** The methods an implementation of {@code iface} has to provide: every non-static one, inherited too. */
    private static List<Method> interfaceMethods(Class<?> iface) {
        List<Method> methods = new ArrayList<>();
        for (Method m : iface.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers())) {
                methods.add(m);
            }
        }
        methods.sort((a, b) -> signature(a).compareTo(signature(b)));
        return methods;
    }

    private static Method implementation(Class<?> type, Method m) {
        try {
            return type.getMethod(m.getName(), m.getParameterTypes());
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static String signature(Method m) {
        return m.getName() + Arrays.stream(m.getParameterTypes()).map(Class::getSimpleName).toList().toString()
                .replace('[', '(').replace(']', ')');
    }

    /**
     * A stand-in driver: every call fails with a fatal SQLSTATE (of the type the method declares), recorded
     * in {@code thrown}; a connection's factory methods hand out such objects unless they should fail too.
     */
    private static final class Driver {
        private Driver() {
        }

        static Connection connection(boolean factoriesFail, List<SQLException> thrown) {
            Function<Method, Object> factory = m -> {
                Class<?> type = m.getReturnType();
                boolean product = type == Statement.class || type == PreparedStatement.class
                        || type == CallableStatement.class || type == DatabaseMetaData.class;
                return factoriesFail || !product ? null : throwing(type, thrown);
            };
            return proxy(Connection.class, thrown, factory);
        }

        static <T> T throwing(Class<T> type, List<SQLException> thrown) {
            return proxy(type, thrown, m -> null);
        }

        private static <T> T proxy(Class<T> type, List<SQLException> thrown, Function<Method, Object> products) {
            Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (self, m, args) -> {
                if (m.getDeclaringClass() == Object.class) {
                    return m.getName().equals("equals") ? self == args[0]
                            : m.getName().equals("hashCode") ? System.identityHashCode(self) : type.getSimpleName();
                }
                Object product = products.apply(m);
                if (product != null) {
                    return product;
                }
                if (!declaresSqlException(m)) {
                    return argument(m.getReturnType()); // getDriverMajorVersion() and the like cannot fail
                }
                SQLException failure = Arrays.asList(m.getExceptionTypes()).contains(SQLException.class)
                        ? new SQLException("stand-in driver: " + m.getName() + " failed", FATAL)
                        : new SQLClientInfoException("stand-in driver: " + m.getName() + " failed", FATAL, Map.of());
                thrown.add(failure);
                throw failure;
            });
            return type.cast(proxy);
        }
    }
}
