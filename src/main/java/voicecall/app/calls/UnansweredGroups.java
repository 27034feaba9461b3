package voicecall.app.calls;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Groups questions the engine could not answer so an admin sees which FAQ entries are missing. A
 * question becomes a set of words: lower-cased, Unicode-normalised, split at anything that is not a
 * letter or digit, without common English function words (which would make "how do I pay" and "how
 * do I cancel" look alike). A question joins the group whose first question's word set is most
 * similar to its own if the Jaccard similarity (shared words / all words) reaches the threshold;
 * otherwise it starts a group. Groups are listed most frequent first.
 */
final class UnansweredGroups {

  /** Question texts and call ids shown per group. */
  static final int EXAMPLES = 5;

  private static final Set<String> FUNCTION_WORDS =
      Set.of(
          "a", "an", "the", "i", "me", "my", "you", "your", "we", "our", "it", "is", "are", "am",
          "was", "be", "do", "does", "did", "can", "could", "would", "will", "should", "to", "of",
          "in", "on", "for", "at", "with", "and", "or", "how", "what", "when", "where", "why",
          "please", "s", "t", "that", "this", "there", "get", "have", "has", "so", "just");

  /**
   * A group of similar questions.
   *
   * @param question the group's first question (the most recent one, as the input is newest first)
   * @param count how many questions fell into it
   * @param questions up to {@link #EXAMPLES} distinct question texts
   * @param callIds up to {@link #EXAMPLES} distinct calls they came from
   */
  record Group(String question, int count, List<String> questions, List<String> callIds) {
    Group {
      questions = List.copyOf(questions);
      callIds = List.copyOf(callIds);
    }
  }

  private UnansweredGroups() {}

  /**
   * The normalised word set of a question.
   *
   * @param text the question
   * @return its content words, sorted
   */
  static Set<String> words(String text) {
    String folded = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    Set<String> words = new TreeSet<>();
    for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && !FUNCTION_WORDS.contains(w)) {
        words.add(w);
      }
    }
    return words;
  }

  /**
   * Jaccard similarity of two word sets; two empty sets are identical.
   *
   * @param a one set
   * @param b the other
   * @return shared words over all words, 0 to 1
   */
  static double similarity(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1.0;
    }
    int shared = 0;
    for (String w : a) {
      if (b.contains(w)) {
        shared++;
      }
    }
    return (double) shared / (a.size() + b.size() - shared);
  }

  /**
   * Groups questions.
   *
   * @param questions the questions with their calls, newest first
   * @param threshold the similarity at or above which a question joins a group (0 exclusive to 1)
   * @return the groups, most frequent first (ties: the group seen first)
   */
  static List<Group> group(List<CallStore.Unanswered> questions, double threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("threshold must be above 0 and at most 1: " + threshold);
    }
    List<Building> groups = new ArrayList<>();
    Map<Set<String>, Building> exact = new HashMap<>();
    for (CallStore.Unanswered q : questions) {
      Set<String> words = words(q.heard());
      Building target = exact.get(words);
      if (target == null) {
        double best = -1;
        for (Building g : groups) {
          double s = similarity(words, g.words);
          if (s >= threshold && s > best) {
            best = s;
            target = g;
          }
        }
      }
      if (target == null) {
        target = new Building(q.heard().strip(), words);
        groups.add(target);
      }
      exact.putIfAbsent(words, target);
      target.add(q);
    }
    List<Building> sorted = new ArrayList<>(groups);
    sorted.sort(Comparator.comparingInt((Building g) -> g.count).reversed());
    return sorted.stream()
        .map(g -> new Group(g.first, g.count, List.copyOf(g.texts), List.copyOf(g.calls)))
        .toList();
  }

  /** A group while it is being built. */
  private static final class Building {
    final String first;
    final Set<String> words;
    final Set<String> texts = new LinkedHashSet<>();
    final Set<String> calls = new LinkedHashSet<>();
    int count;

    Building(String first, Set<String> words) {
      this.first = first;
      this.words = words;
    }

    void add(CallStore.Unanswered q) {
      count++;
      if (texts.size() < EXAMPLES) {
        texts.add(q.heard().strip());
      }
      if (calls.size() < EXAMPLES) {
        calls.add(q.callId());
      }
    }
  }
}
