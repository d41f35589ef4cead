import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.TypeParameterElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.TypeVariable;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;

/**
 * Writes abstract classes that forward every method of a JDBC interface to a delegate, as HikariCP generates
 * its proxies: each forwarded method calls the delegate and hands every {@code SQLException} it throws to one
 * failure hook, {@code failed(e)}, before it leaves. Hand-written subclasses override only what they add.
 *
 * <p>The interfaces are read as Java 17 declares them (the compiler's {@code --release 17} view, not the
 * running JDK's classes), and members are written in a fixed order, so every JDK from 17 on writes the
 * same files. A file whose content is unchanged is not rewritten (the compiler's incremental build).
 *
 * <pre>
 * java GenerateForwarding.java OUTPUT_DIR (--package PACKAGE SPEC...)...
 * SPEC: ClassName=java.sql.Interface[;option]...
 *   public                      a public class with a protected constructor, documented (an exported package)
 *   hook=identity               failed(e) returns e unless overridden (default: abstract)
 *   hook=none                   no hook: plain delegation (a subclass that overrides nothing is then as cheap
 *                               as the delegate: no virtual call on a failure path lets `this` escape, so the
 *                               JIT can still scalar-replace a short-lived wrapper)
 *   wrap-result-sets            every ResultSet a forwarded method returns passes wrapResultSet(rs)
 *   extends=Super(Type,...)     extends the (hand-written) Super, whose constructor takes the delegate and
 *                               these parameters and which extends a generated class itself; forwards only
 *                               the methods the interface itself declares (Super has the rest and the hooks),
 *                               to Super's delegate() cast to the interface (an accessor named after it)
 * </pre>
 */
public final class GenerateForwarding {
    private static final String RELEASE = "17";

    private final Elements elements;
    private final Types types;

    private GenerateForwarding(Elements elements, Types types) {
        this.elements = elements;
        this.types = types;
    }

    /** How a forwarded call's failure leaves. */
    private enum Hook { ABSTRACT, IDENTITY, NONE }

    /** What one generated class is. */
    private record Spec(String packageName, String className, String interfaceName, boolean isPublic,
                        Hook hook, boolean wrapResultSets, String superClass, List<String> superParams) {

        static Spec parse(String packageName, String text) {
            String[] parts = text.split(";");
            int eq = parts[0].indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("not ClassName=java.sql.Interface: " + text);
            }
            boolean isPublic = false;
            Hook hook = Hook.ABSTRACT;
            boolean wrap = false;
            String superClass = null;
            List<String> superParams = List.of();
            for (int i = 1; i < parts.length; i++) {
                String option = parts[i].trim();
                if (option.equals("public")) {
                    isPublic = true;
                } else if (option.equals("hook=identity")) {
                    hook = Hook.IDENTITY;
                } else if (option.equals("hook=none")) {
                    hook = Hook.NONE;
                } else if (option.equals("wrap-result-sets")) {
                    wrap = true;
                } else if (option.startsWith("extends=") && option.endsWith(")") && option.contains("(")) {
                    superClass = option.substring("extends=".length(), option.indexOf('('));
                    String params = option.substring(option.indexOf('(') + 1, option.length() - 1).trim();
                    superParams = params.isEmpty() ? List.of() : List.of(params.split("\\s*,\\s*"));
                } else {
                    throw new IllegalArgumentException("unknown option '" + option + "' in " + text);
                }
            }
            return new Spec(packageName, parts[0].substring(0, eq).trim(), parts[0].substring(eq + 1).trim(),
                    isPublic, hook, wrap, superClass, superParams);
        }

        boolean root() {
            return superClass == null;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: GenerateForwarding OUTPUT_DIR (--package PACKAGE SPEC...)...");
        }
        Path out = Path.of(args[0]);
        List<Spec> specs = new ArrayList<>();
        String packageName = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--package")) {
                packageName = args[++i];
            } else if (packageName == null) {
                throw new IllegalArgumentException("--package must come before " + args[i]);
            } else {
                specs.add(Spec.parse(packageName, args[i]));
            }
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        JavaFileObject anchor = new SimpleJavaFileObject(URI.create("string:///Anchor.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return "class Anchor {}";
            }
        };
        JavacTask task = (JavacTask) javac.getTask(null, javac.getStandardFileManager(null, Locale.ROOT,
                StandardCharsets.UTF_8), null, List.of("--release", RELEASE, "-proc:none"), null, List.of(anchor));
        task.analyze();
        GenerateForwarding generator = new GenerateForwarding(task.getElements(), task.getTypes());
        for (Spec spec : specs) {
            Path file = out.resolve(spec.packageName().replace('.', '/')).resolve(spec.className() + ".java");
            String source = generator.generate(spec);
            if (!Files.exists(file) || !Files.readString(file, StandardCharsets.UTF_8).equals(source)) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, source, StandardCharsets.UTF_8);
            }
        }
    }

    private TypeElement type(String name) {
        TypeElement type = elements.getTypeElement(name);
        if (type == null || type.getKind() != ElementKind.INTERFACE) {
            throw new IllegalArgumentException(name + " is not an interface of Java " + RELEASE);
        }
        return type;
    }

    /** The methods to forward, in a fixed order: by name, then by parameter types. */
    private List<ExecutableElement> methods(Spec spec, TypeElement iface) {
        Map<String, ExecutableElement> bySignature = new LinkedHashMap<>();
        if (spec.root()) {
            collect(iface, bySignature);
        } else {
            for (Element e : iface.getEnclosedElements()) {
                if (e instanceof ExecutableElement m && forwardable(m)) {
                    for (TypeMirror parent : iface.getInterfaces()) {
                        Map<String, ExecutableElement> inherited = new LinkedHashMap<>();
                        collect((TypeElement) types.asElement(parent), inherited);
                        if (inherited.containsKey(erasedSignature(m))) {
                            // The superclass implements it already (with what it adds): forwarding it here
                            // would silently replace that.
                            throw new IllegalStateException(iface + " redeclares " + m + "; " + spec.className()
                                    + " cannot extend " + spec.superClass());
                        }
                    }
                    bySignature.put(erasedSignature(m), m);
                }
            }
        }
        List<ExecutableElement> methods = new ArrayList<>(bySignature.values());
        methods.sort(Comparator.comparing((ExecutableElement m) -> m.getSimpleName().toString())
                .thenComparing(this::erasedSignature));
        return methods;
    }

    /** Every method of {@code iface} and its superinterfaces, the most specific declaration of each. */
    private void collect(TypeElement iface, Map<String, ExecutableElement> bySignature) {
        for (Element e : iface.getEnclosedElements()) {
            if (e instanceof ExecutableElement m && forwardable(m)) {
                bySignature.putIfAbsent(erasedSignature(m), m);
            }
        }
        for (TypeMirror parent : iface.getInterfaces()) {
            collect((TypeElement) types.asElement(parent), bySignature);
        }
    }

    private static boolean forwardable(ExecutableElement m) {
        return m.getKind() == ElementKind.METHOD && !m.getModifiers().contains(Modifier.STATIC)
                && !m.getModifiers().contains(Modifier.PRIVATE);
    }

    private String erasedSignature(ExecutableElement m) {
        return m.getSimpleName() + m.getParameters().stream().map(p -> types.erasure(p.asType()).toString())
                .collect(Collectors.joining(",", "(", ")"));
    }

    private String generate(Spec spec) {
        TypeElement iface = type(spec.interfaceName());
        TypeElement sqlException = elements.getTypeElement("java.sql.SQLException");
        TypeElement resultSet = elements.getTypeElement("java.sql.ResultSet");
        Imports imports = new Imports(spec.packageName());
        String ifaceName = imports.name(iface);
        String sqlExceptionName = imports.name(sqlException);
        StringBuilder body = new StringBuilder();
        String ctorVisibility = spec.isPublic() ? "protected " : "";
        String delegateDoc = spec.isPublic() ? "    /**\n     * Forwards to {@code delegate}.\n     *\n"
                + "     * @param delegate the " + lowerFirst(iface) + " every call goes to\n     */\n" : "";

        String delegate;
        if (spec.root()) {
            delegate = "delegate";
            body.append("    private final ").append(ifaceName).append(" delegate;\n\n");
            String requireNonNull = imports.name(elements.getTypeElement("java.util.Objects")) + ".requireNonNull";
            body.append(delegateDoc).append("    ").append(ctorVisibility).append(spec.className()).append('(')
                    .append(ifaceName).append(" delegate) {\n")
                    .append("        this.delegate = ").append(requireNonNull).append("(delegate, \"delegate\");\n")
                    .append("    }\n\n");
            body.append("    /** {@return the ").append(lowerFirst(iface)).append(" calls are forwarded to} */\n")
                    .append("    protected final ").append(ifaceName).append(" delegate() {\n")
                    .append("        return delegate;\n    }\n\n");
            if (spec.hook() != Hook.NONE) {
                body.append("    /**\n")
                        .append("     * Sees every {@link ").append(sqlExceptionName).append("} a forwarded call throws, before it leaves:\n")
                        .append("     * the one place to learn that the connection broke, whichever method raised it.\n")
                        .append("     *\n")
                        .append("     * @param <E>     the failure's type\n")
                        .append("     * @param failure what the delegate threw\n")
                        .append("     * @return the exception to throw: {@code failure}").append(spec.hook() == Hook.ABSTRACT ? "" : " unless overridden")
                        .append("\n     */\n");
            }
            if (spec.hook() == Hook.ABSTRACT) {
                body.append("    protected abstract <E extends ").append(sqlExceptionName).append("> E failed(E failure);\n\n");
            } else if (spec.hook() == Hook.IDENTITY) {
                body.append("    protected <E extends ").append(sqlExceptionName).append("> E failed(E failure) {\n")
                        .append("        return failure;\n    }\n\n");
            }
            if (spec.wrapResultSets()) {
                String rs = imports.name(resultSet);
                body.append("    /**\n")
                        .append("     * What a forwarded call hands out for a result set the delegate returned.\n")
                        .append("     *\n")
                        .append("     * @param resultSet the delegate's result set, or {@code null}\n")
                        .append("     * @return the result set to return\n")
                        .append("     * @throws ").append(sqlExceptionName).append(" if looking at it fails\n")
                        .append("     */\n")
                        .append("    protected abstract ").append(rs).append(" wrapResultSet(").append(rs)
                        .append(" resultSet) throws ").append(sqlExceptionName).append(";\n\n");
            }
        } else {
            StringBuilder params = new StringBuilder(ifaceName).append(" delegate");
            StringBuilder args = new StringBuilder("delegate");
            for (int i = 0; i < spec.superParams().size(); i++) {
                params.append(", ").append(spec.superParams().get(i)).append(" p").append(i);
                args.append(", p").append(i);
            }
            body.append(delegateDoc).append("    ").append(ctorVisibility).append(spec.className()).append('(')
                    .append(params).append(") {\n")
                    .append("        super(").append(args).append(");\n    }\n\n");
            // No field of its own: the superclass holds the delegate, and a second reference would make every
            // statement 4 to 8 bytes bigger.
            String accessor = Character.toLowerCase(iface.getSimpleName().charAt(0))
                    + iface.getSimpleName().toString().substring(1);
            body.append("    /** {@return the ").append(lowerFirst(iface)).append(" calls are forwarded to} */\n")
                    .append("    protected final ").append(ifaceName).append(' ').append(accessor).append("() {\n")
                    .append("        return (").append(ifaceName).append(") delegate();\n    }\n\n");
            delegate = accessor + "()";
        }

        for (ExecutableElement m : methods(spec, iface)) {
            method(body, m, delegate, imports, sqlException, resultSet, spec.wrapResultSets(), spec.hook() != Hook.NONE);
        }

        StringBuilder file = new StringBuilder();
        file.append("// Generated by build-tools/GenerateForwarding.java from ").append(iface.getQualifiedName())
                .append(" as Java ").append(RELEASE).append(" declares it: do not edit.\n");
        file.append("package ").append(spec.packageName()).append(";\n\n");
        for (String imported : imports.imports()) {
            file.append("import ").append(imported).append(";\n");
        }
        file.append('\n');
        String what = spec.root() ? "{@link " + ifaceName + "} that forwards every call to another one"
                : "{@link " + ifaceName + "} on {@link " + spec.superClass()
                        + "}: the methods the interface itself declares forward\n * to the same delegate";
        file.append("/**\n * A ").append(what);
        if (spec.hook() == Hook.NONE) {
            file.append(".\n");
        } else {
            file.append(", and every\n * {@link ").append(sqlExceptionName)
                    .append("} a forwarded call throws passes {@link #failed} before it leaves.\n");
        }
        file.append(" * Subclasses override what they change and inherit the rest.\n");
        if (spec.root()) {
            file.append(" *\n * <p>{@link #unwrap(Class)} and {@link #isWrapperFor(Class)} answer for this wrapper first, then ask\n")
                    .append(" * the delegate, so the driver's own interfaces stay reachable through any number of wrappers.\n");
        }
        file.append(" */\n");
        file.append(spec.isPublic() ? "public " : "").append("abstract class ").append(spec.className());
        if (!spec.root()) {
            file.append(" extends ").append(spec.superClass());
        }
        file.append(" implements ").append(ifaceName).append(" {\n");
        file.append(body);
        // no blank line before the closing brace
        while (file.charAt(file.length() - 2) == '\n') {
            file.setLength(file.length() - 1);
        }
        file.append("}\n");
        return file.toString();
    }

    private void method(StringBuilder out, ExecutableElement m, String delegate, Imports imports, TypeElement sqlException,
                        TypeElement resultSet, boolean wrapResultSets, boolean hooked) {
        String name = m.getSimpleName().toString();
        if (elements.isDeprecated(m)) {
            // An override of a deprecated method is deprecated too; then calling the delegate's warns of nothing.
            out.append("    @Deprecated\n");
        }
        out.append("    @Override\n    public ");
        if (!m.getTypeParameters().isEmpty()) {
            out.append(m.getTypeParameters().stream().map(t -> typeParameter(t, imports))
                    .collect(Collectors.joining(", ", "<", "> ")));
        }
        TypeMirror returnType = m.getReturnType();
        out.append(imports.type(returnType)).append(' ').append(name).append('(');
        List<String> args = new ArrayList<>();
        for (int i = 0; i < m.getParameters().size(); i++) {
            TypeMirror t = m.getParameters().get(i).asType();
            String printed = m.isVarArgs() && i == m.getParameters().size() - 1
                    ? imports.type(((ArrayType) t).getComponentType()) + "..." : imports.type(t);
            out.append(i == 0 ? "" : ", ").append(printed).append(" p").append(i);
            args.add("p" + i);
        }
        out.append(')');
        List<TypeMirror> thrown = new ArrayList<>(m.getThrownTypes());
        if (!thrown.isEmpty()) {
            out.append(" throws ").append(thrown.stream().map(imports::type).collect(Collectors.joining(", ")));
        }
        out.append(" {\n");
        String call = delegate + "." + name + "(" + String.join(", ", args) + ")";
        boolean returns = returnType.getKind() != TypeKind.VOID;
        // Caught are the SQLExceptions the method declares, without one a broader one already catches.
        List<TypeMirror> caught = thrown.stream()
                .filter(t -> hooked && types.isSubtype(t, sqlException.asType()))
                .filter(t -> thrown.stream().noneMatch(o -> !types.isSameType(o, t) && types.isSubtype(t, o)))
                .collect(Collectors.toList());
        if (wrapResultSets && !caught.isEmpty() && types.isSameType(returnType, resultSet.asType())) {
            call = "wrapResultSet(" + call + ")";
        }
        String indent = caught.isEmpty() ? "        " : "            ";
        if (caught.isEmpty()) {
            // nothing to hand to the hook
        } else {
            out.append("        try {\n");
        }
        boolean wrapperMethod = isWrapperMethod(m);
        if (wrapperMethod && name.equals("unwrap")) {
            out.append(indent).append("if (p0.isInstance(this)) {\n")
                    .append(indent).append("    return p0.cast(this);\n")
                    .append(indent).append("}\n");
        }
        if (wrapperMethod && name.equals("isWrapperFor")) {
            call = "p0.isInstance(this) || " + call;
        }
        out.append(indent).append(returns ? "return " : "").append(call).append(";\n");
        if (!caught.isEmpty()) {
            for (TypeMirror t : caught) {
                out.append("        } catch (").append(imports.type(t)).append(" e) {\n")
                        .append("            throw failed(e);\n");
            }
            out.append("        }\n");
        }
        out.append("    }\n\n");
    }

    private boolean isWrapperMethod(ExecutableElement m) {
        return ((TypeElement) m.getEnclosingElement()).getQualifiedName().contentEquals("java.sql.Wrapper");
    }

    private String typeParameter(TypeParameterElement t, Imports imports) {
        List<String> bounds = t.getBounds().stream()
                .filter(b -> !(b instanceof DeclaredType d
                        && ((TypeElement) d.asElement()).getQualifiedName().contentEquals("java.lang.Object")))
                .map(imports::type).collect(Collectors.toList());
        return t.getSimpleName() + (bounds.isEmpty() ? "" : " extends " + String.join(" & ", bounds));
    }

    private static String lowerFirst(TypeElement type) {
        String name = type.getSimpleName().toString();
        // "DatabaseMetaData" reads as "database metadata", "ResultSet" as "result set"
        return name.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT).replace("meta data", "metadata");
    }

    /** The imports a generated file needs: simple names where they are unambiguous, else qualified ones. */
    private final class Imports {
        private final String packageName;
        private final Map<String, String> bySimpleName = new TreeMap<>();

        Imports(String packageName) {
            this.packageName = packageName;
        }

        String name(TypeElement type) {
            String qualified = type.getQualifiedName().toString();
            if (type.getEnclosingElement().getKind() != ElementKind.PACKAGE) {
                return qualified;
            }
            String simple = type.getSimpleName().toString();
            String pkg = elements.getPackageOf(type).getQualifiedName().toString();
            if (pkg.equals("java.lang") && !bySimpleName.containsKey(simple)) {
                return simple;
            }
            String known = bySimpleName.putIfAbsent(simple, qualified);
            return known == null || known.equals(qualified) ? simple : qualified;
        }

        String type(TypeMirror t) {
            switch (t.getKind()) {
                case ARRAY:
                    return type(((ArrayType) t).getComponentType()) + "[]";
                case DECLARED: {
                    DeclaredType d = (DeclaredType) t;
                    String name = name((TypeElement) d.asElement());
                    if (d.getTypeArguments().isEmpty()) {
                        return name;
                    }
                    return name + d.getTypeArguments().stream().map(this::type)
                            .collect(Collectors.joining(", ", "<", ">"));
                }
                case WILDCARD: {
                    WildcardType w = (WildcardType) t;
                    if (w.getExtendsBound() != null) {
                        return "? extends " + type(w.getExtendsBound());
                    }
                    return w.getSuperBound() != null ? "? super " + type(w.getSuperBound()) : "?";
                }
                case TYPEVAR:
                    return ((TypeVariable) t).asElement().getSimpleName().toString();
                default:
                    if (t.getKind().isPrimitive() || t.getKind() == TypeKind.VOID) {
                        return t.toString();
                    }
                    throw new IllegalArgumentException("cannot print type " + t + " (" + t.getKind() + ")");
            }
        }

        /** The imports, sorted; none for this package or java.lang. */
        TreeSet<String> imports() {
            TreeSet<String> sorted = new TreeSet<>();
            for (String qualified : bySimpleName.values()) {
                String pkg = qualified.substring(0, qualified.lastIndexOf('.'));
                if (!pkg.equals(packageName) && !pkg.equals("java.lang")) {
                    sorted.add(qualified);
                }
            }
            return sorted;
        }
    }
}
