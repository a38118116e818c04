package io.dynstack.agent;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Class-name globs in the JaCoCo style: {@code *} matches within one package segment,
 * {@code **} across segments, {@code ?} one character. {@code com.acme.kernel.**} is every class
 * under that package; {@code com.acme.*Driver} those directly in it ending with Driver.
 */
public final class KernelGlobs {

    private final Pattern pattern;

    public KernelGlobs(List<String> globs) {
        StringBuilder regex = new StringBuilder();
        for (String glob : globs) {
            if (!regex.isEmpty()) {
                regex.append('|');
            }
            regex.append("(?:").append(toRegex(glob)).append(')');
        }
        this.pattern = globs.isEmpty() ? null : Pattern.compile(regex.toString());
    }

    private static String toRegex(String glob) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                out.append(".*");
                i++;
            } else if (c == '*') {
                out.append("[^.]*");
            } else if (c == '?') {
                out.append("[^.]");
            } else {
                out.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return out.toString();
    }

    /** Whether the class named {@code className} (dots, {@code $} for nested classes) matches. */
    public boolean matches(String className) {
        return pattern != null && pattern.matcher(className).matches();
    }

    /**
     * Whether every class the glob can match starts with one of {@code prefixes}: its text up to
     * the first wildcard does, as {@code java.**} starts with {@code java.}.
     */
    public static boolean within(String glob, List<String> prefixes) {
        int wildcard = glob.length();
        for (char c : new char[] {'*', '?'}) {
            int at = glob.indexOf(c);
            if (at >= 0) {
                wildcard = Math.min(wildcard, at);
            }
        }
        String literal = glob.substring(0, wildcard);
        return prefixes.stream().anyMatch(literal::startsWith);
    }
}
