package voicecall.engine.stt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import voicecall.rag.Entry;
import voicecall.rag.KnowledgeBase;
import voicecall.rag.Language;

/**
 * The domain language model and dictionary of one knowledge version, with the spare decoders that
 * were built for it. A new knowledge version gets a new pack; calls in progress keep the pack their
 * decoder was built for.
 */
final class LanguagePack {

  /**
   * How often each question phrasing is counted: callers ask questions, they do not read answers.
   */
  static final int QUESTION_WEIGHT = 3;

  /** A small vocabulary of phone talk around the questions. */
  static final List<String> PHONE_TALK =
      List.of(
          "hello",
          "hi",
          "yes",
          "yes please",
          "no",
          "no thanks",
          "thank you",
          "thanks",
          "okay",
          "bye",
          "goodbye",
          "sorry",
          "what",
          "pardon",
          "can you repeat that",
          "say that again please",
          "i have a question",
          "i have a question about my bill",
          "i need help",
          "i need help with my phone",
          "can you help me",
          "i want to know",
          "i would like to know how",
          "i'd like to",
          "how do i",
          "how can i",
          "what is",
          "why is",
          "is it possible to",
          "can i",
          "i want to talk to an agent",
          "can i speak to a person",
          "i want to talk to a real person",
          "can i speak to an operator",
          "i want a representative",
          "let me talk to a human",
          "connect me to customer service",
          "that's all",
          "that's it thank you",
          "no thanks",
          "no thank you goodbye",
          "nothing else bye");

  /**
   * How many spare decoders each model's pool keeps ready: 2. Every call takes a decoder no other
   * call has used and frees it at its end, so a spare is built in the background (about 10 ms of
   * CPU with this model) whenever one is taken. Two cover calls that open close together; a burst
   * of more builds the rest as they open. Used decoders are never kept: with 30 noisy calls,
   * pooling the plain decoders they changed from left 30 idle ones (RSS per call 20 MB instead of
   * 13; STT-README.md, "Bounded pools").
   */
  static final int SPARES_PER_MODEL = 2;

  final long version;
  final Path directory;
  final Path languageModel;
  final Path dictionary;
  final List<String> guessedWords;
  final int vocabularySize;

  /** Spare decoders with the plain acoustic model. */
  final DecoderPool spares = new DecoderPool(SPARES_PER_MODEL);

  /** Spare decoders with the noise-adapted acoustic model. */
  final DecoderPool sparesNoiseAdapted = new DecoderPool(SPARES_PER_MODEL);

  private LanguagePack(
      long version,
      Path directory,
      Path languageModel,
      Path dictionary,
      List<String> guessedWords,
      int vocabularySize) {
    this.version = version;
    this.directory = directory;
    this.languageModel = languageModel;
    this.dictionary = dictionary;
    this.guessedWords = guessedWords;
    this.vocabularySize = vocabularySize;
  }

  /** The sentences the model is estimated from: English questions, answers, tags, phone talk. */
  static List<List<String>> sentences(KnowledgeBase knowledge) {
    List<List<String>> out = new ArrayList<>();
    for (Entry e : knowledge.entries()) {
      if (e.language() != Language.EN) {
        continue;
      }
      for (String q : e.questions()) {
        List<String> words = Words.of(q);
        for (int i = 0; i < QUESTION_WEIGHT && !words.isEmpty(); i++) {
          out.add(words);
        }
      }
      out.addAll(Words.sentences(e.answer()));
      for (String tag : e.tags()) {
        List<String> words = Words.of(tag);
        if (!words.isEmpty()) {
          out.add(words);
        }
      }
    }
    for (String s : PHONE_TALK) {
      out.add(Words.of(s));
    }
    return out;
  }

  /**
   * Builds the model and dictionary of a knowledge version into a new directory under {@code root}.
   */
  static LanguagePack build(KnowledgeBase knowledge, Path cmudict, Path root) throws IOException {
    TrigramModel model = TrigramModel.estimate(sentences(knowledge));
    Files.createDirectories(root);
    Path dir = Files.createTempDirectory(root, "lm-v" + knowledge.version() + "-");
    Path lm = dir.resolve("domain.lm");
    Path dict = dir.resolve("domain.dict");
    Files.writeString(lm, model.toArpa(), StandardCharsets.UTF_8);
    List<String> guessed = Pronunciations.write(model.vocabulary(), cmudict, dict);
    return new LanguagePack(knowledge.version(), dir, lm, dict, guessed, model.vocabulary().size());
  }

  /** The spare decoders of one acoustic model. */
  DecoderPool spares(boolean noiseAdapted) {
    return noiseAdapted ? sparesNoiseAdapted : spares;
  }

  /**
   * Frees every spare decoder of both models (each exactly once, even when called concurrently),
   * and every spare finished for this version from now on.
   */
  void drain() {
    spares.retire();
    sparesNoiseAdapted.retire();
  }
}
