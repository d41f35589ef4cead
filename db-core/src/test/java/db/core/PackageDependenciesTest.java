package db.core;

import static org.assertj.core.api.Assertions.assertThat;

import db.api.Database;
import db.core.engine.CoreEngine;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of {@code db.api} (the contract) and {@code db.core} (the engine), read from their class files'
 * constant pools (every class a class names: its supertypes, fields, signatures, the code's references):
 * the contract never names the engine, no two classes in different packages depend on each other but in the
 * contract's exported packages (the circles {@code DbConfig} ↔ {@code DriverProperties} and
 * {@code PhysicalConnector} ↔ {@code PoolContext} were such), and the engine's packages form no cycle; and
 * the contract's module descriptor names no engine module (no export or open qualified to it). JPMS already
 * refuses what a module does not export; this covers the rest, including the class path.
 */
class PackageDependenciesTest {
    /** A class name inside a descriptor or signature, or a class constant: {@code db/api/spi/PoolContext}. */
    private static final Pattern CLASS_NAME = Pattern.compile("L?(db/(?:api|core)(?:/\\w+)*/[A-Z]\\w*)[;<$]?");

    /**
     * The contract's two exported packages name each other by design ({@code DbConfig.get(ConfigKey)},
     * {@code SessionProvider.start(PoolContext)} with {@code PoolContext.config()}, {@code DatabaseEngine.open}
     * returning a {@code Database}); a circle through any other package is a design error.
     */
    private static final Set<String> CONTRACT = Set.of("db.api", "db.api.spi");

    /** Class (outermost, dotted) to the classes it names, over db.api and db.core. */
    private static Map<String, Set<String>> classes;

    @BeforeAll
    static void readClassFiles() throws Exception {
        classes = new TreeMap<>();
        read(location(Database.class));
        read(location(CoreEngine.class));
    }

    @Test
    void bothModulesWereReadWithTheirReferences() {
        // the positive control: without it, an empty reading would pass every rule below
        long references = classes.values().stream().mapToLong(Set::size).sum();
        assertThat(classes.keySet()).contains("db.api.DbConfig", "db.api.spi.PoolContext", "db.core.engine.Core",
                "db.core.engine.DriverProperties", "db.core.support.TrackedConnections");
        assertThat(classes.keySet().stream().filter(c -> c.startsWith("db.api."))).hasSizeGreaterThan(60);
        assertThat(classes.keySet().stream().filter(c -> c.startsWith("db.core."))).hasSizeGreaterThan(30);
        assertThat(references).isGreaterThan(400);
        assertThat(classes.get("db.core.engine.DriverProperties")).contains("db.api.DbConfig");
        assertThat(classes.get("db.api.DbConfig")).contains("db.api.internal.ConfigResolver");
    }

    @Test
    void theContractNamesNoClassOfTheEngine() {
        Map<String, Set<String>> engineNamed = new TreeMap<>();
        classes.forEach((from, to) -> {
            if (from.startsWith("db.api.")) {
                Set<String> core = to.stream().filter(c -> c.startsWith("db.core.")).collect(Collectors.toCollection(TreeSet::new));
                if (!core.isEmpty()) {
                    engineNamed.put(from, core);
                }
            }
        });
        assertThat(engineNamed).as("db.api classes naming db.core classes").isEmpty();
    }

    @Test
    void theContractsModuleDescriptorNamesNoEngineModule() throws IOException, URISyntaxException {
        ModuleDescriptor api = descriptor(location(Database.class));
        ModuleDescriptor core = descriptor(location(CoreEngine.class));
        // the positive control: both descriptors were read, with their exports and the engine's names of db.api
        assertThat(api.name()).isEqualTo("db.api");
        assertThat(api.exports()).extracting(ModuleDescriptor.Exports::source).contains("db.api", "db.api.spi");
        assertThat(core.name()).isEqualTo("db.core");
        assertThat(core.requires()).extracting(ModuleDescriptor.Requires::name).contains("db.api");
        assertThat(core.exports()).extracting(ModuleDescriptor.Exports::source).contains("db.core.support");
        List<String> engineNamed = new ArrayList<>();
        api.exports().forEach(e -> e.targets().stream().filter(PackageDependenciesTest::engine)
                .forEach(t -> engineNamed.add("exports " + e.source() + " to " + t)));
        api.opens().forEach(o -> o.targets().stream().filter(PackageDependenciesTest::engine)
                .forEach(t -> engineNamed.add("opens " + o.source() + " to " + t)));
        api.requires().stream().map(ModuleDescriptor.Requires::name).filter(PackageDependenciesTest::engine)
                .forEach(r -> engineNamed.add("requires " + r));
        api.provides().forEach(p -> p.providers().stream().filter(PackageDependenciesTest::engine)
                .forEach(c -> engineNamed.add("provides " + p.service() + " with " + c)));
        api.uses().stream().filter(PackageDependenciesTest::engine).forEach(u -> engineNamed.add("uses " + u));
        assertThat(engineNamed).as("db.api's module-info naming db.core").isEmpty();
    }

    /** Whether a module or class name is the engine's ({@code db.core}, {@code db.core.tls...}). */
    private static boolean engine(String name) {
        return name.equals("db.core") || name.startsWith("db.core.");
    }

    private static ModuleDescriptor descriptor(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (InputStream in = Files.newInputStream(location.resolve("module-info.class"))) {
                return ModuleDescriptor.read(in);
            }
        }
        try (ZipFile jar = new ZipFile(location.toFile()); InputStream in = jar.getInputStream(
                jar.getEntry("module-info.class"))) {
            return ModuleDescriptor.read(in);
        }
    }

    @Test
    void noTwoClassesOfDifferentPackagesDependOnEachOtherButInTheContract() {
        List<List<String>> crossing = new ArrayList<>();
        for (Set<String> component : stronglyConnected(classes)) {
            Set<String> packages = component.stream().map(PackageDependenciesTest::packageOf).collect(Collectors.toSet());
            if (packages.size() > 1 && !CONTRACT.containsAll(packages)) {
                crossing.add(new ArrayList<>(new TreeSet<>(component)));
            }
        }
        assertThat(crossing).as("class circles that span packages").isEmpty();
    }

    @Test
    void theEnginesPackagesFormNoCycle() {
        Map<String, Set<String>> packages = new TreeMap<>();
        classes.forEach((from, to) -> {
            if (from.startsWith("db.core.")) {
                Set<String> edges = packages.computeIfAbsent(packageOf(from), p -> new TreeSet<>());
                to.stream().filter(c -> c.startsWith("db.core.")).map(PackageDependenciesTest::packageOf)
                        .filter(p -> !p.equals(packageOf(from))).forEach(edges::add);
            }
        });
        assertThat(packages).as("db.core's packages").containsKeys("db.core.engine", "db.core.support", "db.core.tls",
                "db.core.standalone");
        assertThat(stronglyConnected(packages).stream().filter(c -> c.size() > 1)).as("package cycles in db.core")
                .isEmpty();
    }

    private static String packageOf(String className) {
        return className.substring(0, className.lastIndexOf('.'));
    }

    /** Tarjan's strongly connected components of {@code graph}; nodes outside its keys are leaves. */
    private static List<Set<String>> stronglyConnected(Map<String, Set<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<Set<String>> components = new ArrayList<>();
        for (String node : graph.keySet()) {
            if (!index.containsKey(node)) {
                connect(node, graph, index, low, stack, onStack, components);
            }
        }
        return components;
    }

    private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
                                Map<String, Integer> low, Deque<String> stack, Set<String> onStack,
                                List<Set<String>> components) {
        index.put(node, index.size());
        low.put(node, index.get(node));
        stack.push(node);
        onStack.add(node);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (!index.containsKey(next)) {
                connect(next, graph, index, low, stack, onStack, components);
                low.put(node, Math.min(low.get(node), low.get(next)));
            } else if (onStack.contains(next)) {
                low.put(node, Math.min(low.get(node), index.get(next)));
            }
        }
        if (low.get(node).equals(index.get(node))) {
            Set<String> component = new TreeSet<>();
            String member;
            do {
                member = stack.pop();
                onStack.remove(member);
                component.add(member);
            } while (!member.equals(node));
            components.add(component);
        }
    }

    private static Path location(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static void read(Path location) throws IOException {
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                    try (InputStream in = Files.newInputStream(file)) {
                        add(in);
                    }
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                jar.stream().filter(e -> e.getName().endsWith(".class")).forEach(e -> {
                    try (InputStream in = jar.getInputStream(e)) {
                        add(in);
                    } catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
            }
        }
    }

    /** Adds the class in {@code in} (nested classes count as their outermost class) with what it names. */
    private static void add(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        data.readUnsignedShort();
        data.readUnsignedShort();
        int count = data.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNames = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = data.readUTF();
                case 7 -> classNames[i] = data.readUnsignedShort();
                case 8, 16, 19, 20 -> data.readUnsignedShort();
                case 3, 4, 9, 10, 11, 12, 17, 18 -> data.readInt();
                case 15 -> {
                    data.readUnsignedByte();
                    data.readUnsignedShort();
                }
                case 5, 6 -> {
                    data.readLong();
                    i++;
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        data.readUnsignedShort(); // access flags
        String self = utf8[classNames[data.readUnsignedShort()]];
        if (self == null || self.endsWith("module-info") || self.endsWith("package-info")) {
            return;
        }
        String owner = outermost(self);
        Set<String> named = classes.computeIfAbsent(owner, c -> new TreeSet<>());
        for (String text : utf8) {
            if (text == null) {
                continue;
            }
            Matcher m = CLASS_NAME.matcher(text);
            while (m.find()) {
                String other = outermost(m.group(1));
                if (!other.equals(owner)) {
                    named.add(other);
                }
            }
        }
    }

    private static String outermost(String internalName) {
        String dotted = internalName.replace('/', '.');
        int nested = dotted.indexOf('$');
        return nested < 0 ? dotted : dotted.substring(0, nested);
    }
}
