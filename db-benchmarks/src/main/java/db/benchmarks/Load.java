package db.benchmarks;

/**
 * A load: so many callers, platform or virtual threads, each running operations back to back.
 *
 * @param threads how many callers
 * @param virtual whether they are virtual threads (JDK 21+)
 */
record Load(int threads, boolean virtual) {

    static Load parse(String text) {
        boolean virtual = text.endsWith("v");
        return new Load(Integer.parseInt(virtual ? text.substring(0, text.length() - 1) : text), virtual);
    }

    String id() {
        return threads + (virtual ? "v" : "");
    }

    String label() {
        return virtual ? String.format("%,d virtual threads", threads) : threads + (threads == 1 ? " thread" : " threads");
    }
}
