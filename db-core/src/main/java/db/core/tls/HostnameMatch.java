package db.core.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * libpq's {@code verify-full} host name check (fe-secure-common.c and fe-secure-openssl.c), so that a
 * certificate libpq accepts is accepted and one it refuses is refused: the host asked for is compared
 * with the certificate's subject alternative names, {@code dNSName} entries case-insensitively with a
 * leading {@code *.} matching exactly one label, {@code iPAddress} entries by address when the host is an
 * IP literal (no DNS lookup ever); the subject's common name counts only when the certificate has no
 * subject alternative name of the host's own kind (DNS for a name, IP for an address). A refusal names
 * the certificate's names and the host, which is what a user needs to fix either side.
 */
public final class HostnameMatch {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+(%[A-Za-z0-9._-]+)?");
    private static final String COMMON_NAME = "2.5.4.3";
    private static final int BMP_STRING = 0x1E;
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostnameMatch() {
    }

    /** Null when {@code cert} is valid for {@code host} by libpq's rules, else the reason, naming both. */
    public static String mismatch(String host, X509Certificate cert) {
        String asked = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] address = ipLiteral(asked);
        List<String> names = new ArrayList<>();
        boolean sameKindSan = false;
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return "the server's certificate has a subject alternative name extension that cannot be parsed ("
                    + e.getMessage() + ")";
        }
        if (sans != null) {
            for (List<?> san : sans) {
                int type = (Integer) san.get(0);
                Object value = san.get(1);
                if (type == SAN_DNS && value instanceof String dns) {
                    names.add("DNS:" + dns);
                    sameKindSan |= address == null;
                    if (nameMatches(dns, asked)) {
                        return null;
                    }
                } else if (type == SAN_IP && value instanceof String ip) {
                    names.add("IP:" + ip);
                    sameKindSan |= address != null;
                    byte[] sanAddress = ipLiteral(ip);
                    if (address != null && sanAddress != null && java.util.Arrays.equals(address, sanAddress)) {
                        return null;
                    }
                }
            }
        }
        String cn = commonName(cert);
        if (cn != null) {
            names.add("CN:" + cn + (sameKindSan ? " (not used: the certificate has subject alternative names of "
                    + "this kind)" : ""));
            if (!sameKindSan && nameMatches(cn, asked)) {
                return null;
            }
        }
        return "the server's certificate is for " + (names.isEmpty() ? "no name at all" : String.join(", ", names))
                + ", not for the host '" + host + "' the connection asked for (sslmode=verify-full; connect to a "
                + "name the certificate lists, or have the server's certificate issued for '" + host + "')";
    }

    /** libpq: equal ignoring case, or a {@code *.} pattern whose star stands for one whole label. */
    static boolean nameMatches(String pattern, String host) {
        if (pattern.equalsIgnoreCase(host)) {
            return true;
        }
        if (pattern.length() < 3 || !pattern.startsWith("*.") || pattern.length() > host.length()) {
            return false;
        }
        String suffix = pattern.substring(1).toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (!h.endsWith(suffix)) {
            return false;
        }
        String label = h.substring(0, h.length() - suffix.length());
        return !label.isEmpty() && label.indexOf('.') < 0;
    }

    /** The address of an IPv4 or IPv6 literal, else null; never resolves a name. */
    static byte[] ipLiteral(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches();
        boolean v6 = text.indexOf(':') >= 0 && IPV6.matcher(text).matches();
        if (!v4 && !v6) {
            return null;
        }
        if (v4) {
            for (String part : text.split("\\.", -1)) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // A literal (checked above) is parsed without any lookup.
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /**
     * The first common name in the subject as encoded (libpq takes the first), read from the DER form: the
     * JDK's string forms escape and reorder it, and {@code javax.naming} is not worth a module for this.
     */
    static String commonName(X509Certificate cert) {
        try {
            for (Der.Element rdn : Der.parse(cert.getSubjectX500Principal().getEncoded()).sequence()) {
                for (Der.Element attribute : rdn.children()) {
                    List<Der.Element> typeAndValue = attribute.sequence();
                    if (typeAndValue.size() == 2 && COMMON_NAME.equals(typeAndValue.get(0).oid())) {
                        Der.Element value = typeAndValue.get(1);
                        return value.tag() == BMP_STRING
                                ? new String(value.content(), StandardCharsets.UTF_16BE)
                                : new String(value.content(), StandardCharsets.UTF_8);
                    }
                }
            }
            return null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
