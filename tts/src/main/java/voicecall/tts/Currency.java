package voicecall.tts;

import org.jspecify.annotations.Nullable;

/** Currencies the normaliser reads, with their spoken names in both languages. */
enum Currency {
  WON("원", "", "won", "won", "", ""),
  DOLLAR("달러", "센트", "dollar", "dollars", "cent", "cents"),
  EURO("유로", "센트", "euro", "euros", "cent", "cents"),
  POUND("파운드", "펜스", "pound", "pounds", "penny", "pence"),
  YEN("엔", "", "yen", "yen", "", "");

  final String korean;
  final String koreanMinor;
  final String englishOne;
  final String englishMany;
  final String englishMinorOne;
  final String englishMinorMany;

  Currency(
      String korean,
      String koreanMinor,
      String englishOne,
      String englishMany,
      String englishMinorOne,
      String englishMinorMany) {
    this.korean = korean;
    this.koreanMinor = koreanMinor;
    this.englishOne = englishOne;
    this.englishMany = englishMany;
    this.englishMinorOne = englishMinorOne;
    this.englishMinorMany = englishMinorMany;
  }

  /** Whether amounts have a minor unit read after the point (10.50 → ten dollars fifty cents). */
  boolean hasMinorUnit() {
    return !englishMinorMany.isEmpty();
  }

  /** The currency a symbol, code or written name stands for; won when unknown. */
  static Currency of(@Nullable String written) {
    if (written == null) {
      return WON;
    }
    switch (written) {
      case "$":
      case "USD":
      case "달러":
      case "dollar":
      case "dollars":
        return DOLLAR;
      case "€":
      case "EUR":
      case "유로":
      case "euro":
      case "euros":
        return EURO;
      case "£":
        return POUND;
      case "¥":
      case "엔":
        return YEN;
      default:
        return WON;
    }
  }
}
