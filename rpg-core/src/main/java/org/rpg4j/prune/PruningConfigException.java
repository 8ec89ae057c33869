package org.rpg4j.prune;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An invalid pruning setting. The message names each setting in the vocabulary of
 * {@link PruningConfig.Builder} and {@link RankLoss} ({@code deltaT}, {@code totalIterations},
 * {@code lambda}, ...), gives the value, what is allowed and what to change. A front end whose users
 * typed other names (a command line's {@code --delta-t}) renders the same message with its own
 * names through {@link #message(UnaryOperator)}, so the user reads what they typed.
 */
public final class PruningConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private static final Pattern SETTING = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    /** The message with each setting name in braces, e.g. {@code "{deltaT} must be >= 1, got 0"}. */
    private final String template;

    /**
     * @param template the message, each setting name written in braces ({@code {deltaT}})
     */
    PruningConfigException(String template) {
        super(render(template, UnaryOperator.identity()));
        this.template = template;
    }

    /** @return the settings the message names, in order of first mention (builder vocabulary) */
    public List<String> settings() {
        List<String> names = new ArrayList<>();
        Matcher m = SETTING.matcher(template);
        while (m.find()) {
            if (!names.contains(m.group(1))) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /**
     * @param names maps a setting's builder name (e.g. {@code deltaT}) to the name the user knows
     *     (e.g. {@code --delta-t}); return the argument unchanged to keep a name
     * @return the message with every setting renamed
     */
    public String message(UnaryOperator<String> names) {
        return render(template, names);
    }

    private static String render(String template, UnaryOperator<String> names) {
        Matcher m = SETTING.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(names.apply(m.group(1))));
        }
        m.appendTail(out);
        return out.toString();
    }
}
