package voicecall.engine.stt;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits English text into the word tokens of the language model: lower case, letters, digits and
 * inner apostrophes ("don't"). A few written forms become one spoken word first ("Wi-Fi" → "wifi",
 * "e-mail" → "email").
 */
final class Words {

  private Words() {}

  static List<String> of(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    t = t.replace('’', '\'').replace("wi-fi", "wifi").replace("e-mail", "email");
    List<String> out = new ArrayList<>();
    for (String raw : t.split("[^a-z0-9']+")) {
      String w = raw.replaceAll("^'+|'+$", "");
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }

  /** Sentences of a longer text (split at . ! ? ; :), each as words; empty ones dropped. */
  static List<List<String>> sentences(String text) {
    List<List<String>> out = new ArrayList<>();
    for (String part : text.split("[.!?;:]+(\\s|$)")) {
      List<String> words = of(part);
      if (!words.isEmpty()) {
        out.add(words);
      }
    }
    return out;
  }
}
