package io.dynstack.testkernel.reliability;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.collections4.CollectionUtils;
import org.apache.commons.collections4.MultiSet;
import org.apache.commons.collections4.bidimap.DualTreeBidiMap;
import org.apache.commons.collections4.multiset.HashMultiSet;
import org.apache.commons.collections4.trie.PatriciaTrie;
import org.codehaus.janino.ExpressionEvaluator;
import org.codehaus.janino.SimpleCompiler;

/**
 * Real work done by third-party libraries, printed so that a run under the agent (the libraries
 * woven as kernel code) can be compared line by line with a run without it. Not kernel code itself.
 * Under the agent it also prints, on stderr, where the main thread's simulated sp ended.
 */
public final class LibraryWork {

    private static final String JSON = """
            {"name": "dynstack", "pages": [4096, 8192, 16384], "ratio": 0.7474, "fred": true,
             "nested": {"deep": [[[["x"]]]], "none": null}, "text": "a \\"quoted\\" \\u00e9 word"}
            """;

    private static final String SNIPPET = """
            public class Snippet {
                static int depth;
                public static long fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
                public static String run(int n) {
                    StringBuilder out = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        try {
                            if (i % 3 == 0) throw new IllegalStateException("at " + i);
                            out.append(fib(i)).append(',');
                        } catch (IllegalStateException e) {
                            out.append(e.getMessage()).append(';');
                        }
                    }
                    return out.toString();
                }
            }
            """;

    private LibraryWork() {
    }

    public static void main(String[] args) throws Exception {
        janino();
        jackson();
        collections4();
        collections3();
        reportSp();
    }

    private static void janino() throws Exception {
        SimpleCompiler compiler = new SimpleCompiler();
        compiler.cook(SNIPPET);
        Class<?> snippet = compiler.getClassLoader().loadClass("Snippet");
        System.out.println("janino run: " + snippet.getMethod("run", int.class).invoke(null, 20));
        ExpressionEvaluator ee = new ExpressionEvaluator();
        ee.setParameters(new String[] {"a", "b"}, new Class<?>[] {int.class, int.class});
        ee.setExpressionType(int.class);
        ee.cook("a * b + (a > b ? a - b : b - a) * 7");
        System.out.println("janino expression: " + ee.evaluate(new Object[] {17, 4}));
        try {
            new SimpleCompiler().cook("public class Broken { int x = ; }");
            System.out.println("janino error: none");
        } catch (Exception e) {
            System.out.println("janino error: " + e.getClass().getName() + ": " + e.getMessage());
        }
    }

    private static void jackson() throws Exception {
        List<String> tokens = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(JSON)) {
            for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
                tokens.add(t + (t.isScalarValue() || t == JsonToken.FIELD_NAME ? "=" + parser.getText() : ""));
            }
        }
        System.out.println("jackson tokens: " + tokens);
        try (JsonParser parser = new JsonFactory().createParser("{\"a\": [1, 2,, 3]}")) {
            while (parser.nextToken() != null) {
                // Reading on to the syntax error.
            }
            System.out.println("jackson error: none");
        } catch (Exception e) {
            System.out.println("jackson error: " + e.getClass().getName() + ": " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static void collections4() {
        List<Integer> a = Arrays.asList(1, 2, 2, 3, 5, 8, 13);
        List<Integer> b = Arrays.asList(2, 3, 3, 5, 7, 11, 13);
        System.out.println("collections4 intersection: " + new TreeMap<>(CollectionUtils.getCardinalityMap(CollectionUtils.intersection(a, b))));
        System.out.println("collections4 disjunction: " + new TreeMap<>(CollectionUtils.getCardinalityMap(CollectionUtils.disjunction(a, b))));
        MultiSet<String> words = new HashMultiSet<>(Arrays.asList("page", "stack", "page", "fault", "page"));
        System.out.println("collections4 multiset: " + words.getCount("page") + " " + words.uniqueSet().size());
        PatriciaTrie<Integer> trie = new PatriciaTrie<>();
        for (String w : List.of("stack", "stackleak", "stall", "start", "fred", "fault")) {
            trie.put(w, w.length());
        }
        System.out.println("collections4 trie: " + trie.prefixMap("sta") + " " + trie.selectKey("stac"));
        DualTreeBidiMap<String, Integer> bidi = new DualTreeBidiMap<>(Map.of("x86", 16384, "arm64", 16384 * 2));
        System.out.println("collections4 bidi: " + bidi.inverseBidiMap());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void collections3() {
        org.apache.commons.collections.map.LRUMap lru = new org.apache.commons.collections.map.LRUMap(3);
        for (int i = 0; i < 10; i++) {
            lru.put("k" + i, i);
            lru.get("k" + (i / 2));
        }
        System.out.println("collections3 lru: " + lru);
        List a = Arrays.asList("a", "b", "b", "c");
        List b = Arrays.asList("b", "c", "c", "d");
        System.out.println("collections3 union: " + new TreeMap(org.apache.commons.collections.CollectionUtils.getCardinalityMap(
                org.apache.commons.collections.CollectionUtils.union(a, b))));
        org.apache.commons.collections.bag.TreeBag bag = new org.apache.commons.collections.bag.TreeBag(a);
        System.out.println("collections3 bag: " + bag);
    }

    private static void reportSp() throws ReflectiveOperationException {
        Class<?> stack;
        try {
            stack = Class.forName("io.dynstack.runtime.KernelStack");
        } catch (ClassNotFoundException e) {
            return;
        }
        Object current = stack.getMethod("current").invoke(null);
        System.err.println("sp at the end: " + stack.getMethod("sp").invoke(current) + " of "
                + stack.getMethod("threadSize").invoke(current));
    }
}
