package db.core.tls;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few pieces of ASN.1 DER that reading client keys needs (PKCS#8, PBES2 parameters, PKCS#1 and
 * SEC1 keys): a strict reader of tag-length-value elements and a writer for the one structure built
 * here (a PKCS#8 PrivateKeyInfo around a PKCS#1 or SEC1 key). The JDK parses these structures
 * internally but exposes no API for them, and JDK 17's {@code EncryptedPrivateKeyInfo} cannot decrypt
 * PBES2, which OpenSSL 3 writes by default. Every length is checked against what is left, so a
 * truncated or corrupt file fails with {@link IllegalArgumentException} instead of reading garbage.
 */
public final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    /** {@code [0]} constructed, context-specific (SEC1's curve parameters). */
    static final int CONTEXT_0 = 0xA0;

    private Der() {
    }

    /** One element: its tag and the bytes of its content (a class: an array has no value equality). */
    public static final class Element {
        private final int tag;
        private final byte[] content;

        Element(int tag, byte[] content) {
            this.tag = tag;
            this.content = content;
        }

        /** The element's tag byte. */
        public int tag() {
            return tag;
        }

        /** The bytes of the element's content, not copied. */
        public byte[] content() {
            return content;
        }

        /** The elements inside a constructed element (a SEQUENCE or a context tag). */
        public List<Element> children() {
            return parseAll(content);
        }

        /** The element's children when it is a SEQUENCE; else an {@link IllegalArgumentException}. */
        public List<Element> sequence() {
            expect(SEQUENCE);
            return children();
        }

        BigInteger integer() {
            expect(INTEGER);
            if (content.length == 0) {
                throw new IllegalArgumentException("empty INTEGER");
            }
            return new BigInteger(content);
        }

        byte[] octets() {
            expect(OCTET_STRING);
            return content.clone();
        }

        /** The dotted form of an OBJECT IDENTIFIER. */
        public String oid() {
            expect(OID);
            if (content.length == 0) {
                throw new IllegalArgumentException("empty OBJECT IDENTIFIER");
            }
            StringBuilder out = new StringBuilder();
            long value = 0;
            boolean first = true;
            for (int i = 0; i < content.length; i++) {
                int b = content[i] & 0xFF;
                if (value > (Long.MAX_VALUE >>> 7)) {
                    throw new IllegalArgumentException("OBJECT IDENTIFIER arc too large");
                }
                value = (value << 7) | (b & 0x7F);
                if ((b & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(value / 40, 2);
                        out.append(top).append('.').append(value - top * 40);
                        first = false;
                    } else {
                        out.append('.').append(value);
                    }
                    value = 0;
                } else if (i == content.length - 1) {
                    throw new IllegalArgumentException("truncated OBJECT IDENTIFIER");
                }
            }
            return out.toString();
        }

        /** The whole element again, tag and length included. */
        byte[] encoded() {
            return encode(tag, content);
        }

        private void expect(int expected) {
            if (tag != expected) {
                throw new IllegalArgumentException(String.format("expected tag 0x%02X, found 0x%02X", expected, tag));
            }
        }
    }

    /** The single element {@code der} holds; trailing bytes are an error. */
    public static Element parse(byte[] der) {
        List<Element> all = parseAll(der);
        if (all.size() != 1) {
            throw new IllegalArgumentException(all.isEmpty() ? "no DER element" : "extra data after the DER element");
        }
        return all.get(0);
    }

    /** The elements that follow one another in {@code der}. */
    static List<Element> parseAll(byte[] der) {
        List<Element> out = new ArrayList<>();
        int pos = 0;
        while (pos < der.length) {
            int tag = der[pos++] & 0xFF;
            if ((tag & 0x1F) == 0x1F) {
                throw new IllegalArgumentException("multi-byte tags are not used in key files");
            }
            if (pos >= der.length) {
                throw new IllegalArgumentException("truncated DER: no length");
            }
            int first = der[pos++] & 0xFF;
            int length;
            if (first < 0x80) {
                length = first;
            } else {
                int count = first & 0x7F;
                if (count == 0 || count > 3) {
                    throw new IllegalArgumentException("unsupported DER length form");
                }
                if (pos + count > der.length) {
                    throw new IllegalArgumentException("truncated DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (der[pos++] & 0xFF);
                }
                if (length < 0x80 || (count > 1 && length < (1 << (8 * (count - 1))))) {
                    throw new IllegalArgumentException("non-minimal DER length");
                }
            }
            if (length > der.length - pos) {
                throw new IllegalArgumentException("truncated DER: element of " + length + " bytes, "
                        + (der.length - pos) + " left");
            }
            out.add(new Element(tag, Arrays.copyOfRange(der, pos, pos + length)));
            pos += length;
        }
        return out;
    }

    /** Tag, length and content. */
    static byte[] encode(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int length = content.length;
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >>> 8);
            out.write(length & 0xFF);
        } else {
            out.write(0x83);
            out.write(length >>> 16);
            out.write((length >>> 8) & 0xFF);
            out.write(length & 0xFF);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    /** A SEQUENCE of already encoded elements. */
    static byte[] sequence(byte[]... encodedElements) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] e : encodedElements) {
            content.writeBytes(e);
        }
        return encode(SEQUENCE, content.toByteArray());
    }

    /** The DER encoding of a dotted OBJECT IDENTIFIER. */
    static byte[] oid(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length < 2) {
            throw new IllegalArgumentException("an OBJECT IDENTIFIER has at least two arcs: " + dotted);
        }
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        writeArc(content, Long.parseLong(parts[0]) * 40 + Long.parseLong(parts[1]));
        for (int i = 2; i < parts.length; i++) {
            writeArc(content, Long.parseLong(parts[i]));
        }
        return encode(OID, content.toByteArray());
    }

    private static void writeArc(ByteArrayOutputStream out, long value) {
        int groups = 1;
        for (long v = value >>> 7; v != 0; v >>>= 7) {
            groups++;
        }
        for (int g = groups - 1; g >= 0; g--) {
            int b = (int) ((value >>> (7 * g)) & 0x7F);
            out.write(g == 0 ? b : b | 0x80);
        }
    }
}
