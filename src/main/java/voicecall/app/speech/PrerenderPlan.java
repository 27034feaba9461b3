package voicecall.app.speech;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import voicecall.app.config.VoiceCallProperties;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.tts.Language;

/**
 * What to pre-render for one knowledge version: per language, every answer written in it and the
 * fixed prompts of that language. Prompts come first: every call needs the greeting, while a given
 * answer is needed only by some. Both languages always get their prompts, even when the version has
 * no entry in one of them.
 *
 * @param version the knowledge version
 * @param texts per language, the texts in order (prompts, then answers); immutable
 * @param answers how many answers are in the plan
 * @param prompts how many prompts are in the plan
 */
record PrerenderPlan(long version, Map<Language, List<String>> texts, int answers, int prompts) {

  PrerenderPlan {
    // Languages in a fixed order (Korean, English), each list immutable.
    Map<Language, List<String>> ordered = new EnumMap<>(Language.class);
    texts.forEach((language, list) -> ordered.put(language, List.copyOf(list)));
    texts = Collections.unmodifiableMap(ordered);
  }

  static PrerenderPlan of(KnowledgeBase knowledge, VoiceCallProperties.Prompts prompts) {
    Map<Language, List<String>> texts = new EnumMap<>(Language.class);
    int promptCount = 0;
    for (Language language : Language.values()) {
      List<String> fixed = promptsOf(prompts, language).all();
      texts.put(language, new ArrayList<>(fixed));
      promptCount += fixed.size();
    }
    int answers = 0;
    for (Entry entry : knowledge.entries()) {
      // The knowledge and speech modules name their languages alike (ko, en).
      Language language = Language.forTag(entry.language().code());
      texts.computeIfAbsent(language, l -> new ArrayList<>()).add(entry.answer());
      answers++;
    }
    return new PrerenderPlan(knowledge.version(), texts, answers, promptCount);
  }

  static VoiceCallProperties.PromptSet promptsOf(
      VoiceCallProperties.Prompts prompts, Language language) {
    return switch (language) {
      case KOREAN -> prompts.ko();
      case ENGLISH -> prompts.en();
    };
  }
}
