// Transcribed from ../shared/reference/architect-functions.json (one line per overload);
// TestCatalogueMatchesReference keeps it identical to that file.

package expr

// catalogue is Architect's expression-function catalogue (npm
// purecloud-flow-scripting-api-sdk-javascript@0.0.18, scripting.bundle.js, as
// extracted into ../shared/reference/architect-functions.json): per function its
// category and overloads. An overload is its return type followed by its
// parameters, each written "[?]type[[]] name[...][ | NOT_SET meaning]": "?" means
// NOT_SET is allowed, "[]" a collection, "..." repeatable, and the text after
// "|" is what the catalogue says a NOT_SET argument means.
var catalogue = []catalogueEntry{
	{"AddDays", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int days"},
	}},
	{"AddDuration", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "dur durationToAdd"},
	}},
	{"AddHours", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int hoursToAdd"},
	}},
	{"AddMinutes", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int minutesToAdd"},
	}},
	{"AddMonths", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int monthsToAdd"},
	}},
	{"AddSeconds", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int secondsToAdd"},
	}},
	{"AddYears", "datetime", [][]string{
		{"dtm", "dtm startDateTime", "int yearsToAdd"},
	}},
	{"Append", "text", [][]string{
		{"str", "?str initialText | A NOT_SET String is treated as a blank string.", "?str textToAppend... | A NOT_SET String is treated as a blank string."},
		{"aud", "?apa initialAudioOrPrompt", "?apa audioOrPromptToAppend..."},
	}},
	{"AreEqual", "comparison", [][]string{
		{"bln", "?any valueToCompare", "?any valueToCompareTo..."},
		{"bln", "any[] valueToCompare", "any[] valueToCompareTo"},
		{"bln", "bln ignoreCase", "?str valueToCompare", "?str valueToCompareTo..."},
		{"bln", "bln ignoreCase", "str[] valueToCompare", "str[] valueToCompareTo"},
	}},
	{"AudioPlaybackOptions", "audio", [][]string{
		{"aud", "apa audio", "bln bargeIn"},
		{"aud", "apa audio", "bln bargeIn", "bln flushNow"},
	}},
	{"Average", "statistical", [][]string{
		{"cur", "?cur value... | If the Currency is NOT_SET, it will be skipped in the average calculation."},
		{"dec", "?dec decimalValue... | If the value is NOT_SET, it will be skipped in the average calculation."},
		{"dur", "?dur durationValue... | If the value is NOT_SET, it will be skipped in the average calculation."},
		{"dec", "?int integerValue... | If the value is a NOT_SET, it will be skipped in the average calculation."},
		{"cur", "cur[] currencyCollection"},
		{"dec", "dec[] decimalCollection"},
		{"dec", "int[] integerCollection"},
		{"dur", "dur[] durationCollection"},
	}},
	{"Ceiling", "mathematical", [][]string{
		{"cur", "cur currencyValue"},
		{"dec", "dec decimalValue"},
		{"int", "int integerValue"},
	}},
	{"Compare", "text", [][]string{
		{"int", "?str stringToCompare", "?str stringToCompareTo"},
		{"int", "?str stringToCompare", "?str stringToCompareTo", "bln ignoreCase"},
	}},
	{"Contains", "text", [][]string{
		{"bln", "str stringToSearch", "str textToFind"},
		{"bln", "str stringToSearch", "str textToFind", "bln ignoreCase"},
	}},
	{"ConvertCurrency", "financial", [][]string{
		{"cur", "?cur sourceCurrency", "?str destinationCurrencyCode"},
		{"cur", "?cur sourceCurrency", "?str destinationCurrencyCode", "dec sourcePerDestExchangeRate"},
	}},
	{"Count", "list", [][]string{
		{"int", "any[] value"},
	}},
	{"DateTimeDiff", "datetime", [][]string{
		{"dur", "dtm dateTime1", "dtm dateTime2"},
	}},
	{"Day", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"DayOfWeek", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"DetectLanguage", "text", [][]string{
		{"str", "?str stringToSearch", "?str defaultString"},
	}},
	{"EmailAddressDomainPart", "email", [][]string{
		{"str", "cpx_email_address emailAddress"},
		{"str", "?str emailAddressString"},
	}},
	{"EmailAddressLocalPart", "email", [][]string{
		{"str", "cpx_email_address emailAddress"},
		{"str", "?str emailAddressString"},
	}},
	{"Find", "list", [][]string{
		{"int[]", "any[] list", "?any item"},
	}},
	{"FindFirst", "list", [][]string{
		{"int", "any[] list", "?any item"},
	}},
	{"FindLanguageSkill", "search", [][]string{
		{"lac", "?str skillToFind"},
		{"lac", "?nts valueToConvert | The value NOT_SET."},
	}},
	{"FindQueue", "search", [][]string{
		{"que", "?str queueToFind"},
		{"que", "?nts queueName | The value NOT_SET."},
	}},
	{"FindSkill", "search", [][]string{
		{"skl", "?str skillToFind"},
		{"skl", "?nts skillName | The value NOT_SET."},
	}},
	{"FindString", "text", [][]string{
		{"int", "str stringToSearch", "str textToFind"},
		{"int", "str stringToSearch", "str textToFind", "bln ignoreCase"},
		{"int", "str stringToSearch", "str textToFind", "int occurrenceNumber"},
		{"int", "str stringToSearch", "str textToFind", "int occurrenceNumber", "bln ignoreCase"},
	}},
	{"FindSystemPrompt", "search", [][]string{
		{"pmt", "?str promptName"},
		{"pmt", "?nts promptName | The value NOT_SET."},
	}},
	{"FindUser", "search", [][]string{
		{"usr", "?str userEmail"},
		{"usr", "?nts userEmail | The value NOT_SET."},
	}},
	{"FindUserPrompt", "search", [][]string{
		{"pmt", "?str promptName"},
		{"pmt", "?nts promptName | The value NOT_SET."},
	}},
	{"Floor", "mathematical", [][]string{
		{"cur", "cur value"},
		{"dec", "dec decimalValue"},
		{"int", "int integerValue"},
	}},
	{"GetAt", "list", [][]string{
		{"any", "any[] collection", "int index"},
	}},
	{"GetCurrencySymbol", "financial", [][]string{
		{"str", "str currencyCode"},
		{"str", "?cur currency"},
	}},
	{"GetCurrentDateTimeUtc", "datetime", [][]string{
		{"dtm"},
	}},
	{"GetDayOfWeekOccurrence", "datetime", [][]string{
		{"dtm", "int dayOfWeek", "int occurrence", "int year"},
		{"dtm", "int dayOfWeek", "int occurrence", "int year", "int month"},
		{"dtm", "int dayOfWeek", "int occurrence", "int year", "int hour", "int minute", "int second"},
		{"dtm", "int dayOfWeek", "int occurrence", "int year", "int month", "int hour", "int minute", "int second"},
	}},
	{"GetDefaultLanguage", "language", [][]string{
		{"str"},
	}},
	{"GetSupportedLanguages", "language", [][]string{
		{"str[]"},
	}},
	{"Hour", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"If", "logical", [][]string{
		{"any", "?bln condition | A NOT_SET Boolean is considered false.", "?any trueValue", "?any falseValue"},
		{"any[]", "?bln condition | A NOT_SET Boolean is considered false.", "any[] trueValue", "any[] falseValue"},
		{"aud", "?bln condition | A NOT_SET Boolean is considered false.", "aud trueValueAudio", "aud falseValueAudio"},
	}},
	{"IsNotSetOrEmpty", "comparison", [][]string{
		{"bln", "?any item"},
		{"bln", "any[] collection"},
		{"bln", "?nts item | The value NOT_SET."},
	}},
	{"IsSet", "logical", [][]string{
		{"bln", "?any item"},
		{"bln", "?nts item | The value NOT_SET."},
	}},
	{"LTrim", "text", [][]string{
		{"str", "str value"},
	}},
	{"Left", "text", [][]string{
		{"str", "str srcString", "int length"},
	}},
	{"Length", "text", [][]string{
		{"int", "str text"},
	}},
	{"Lower", "text", [][]string{
		{"str", "str text"},
	}},
	{"MakeCurrency", "financial", [][]string{
		{"cur", "?dec amount", "?str currencyCode"},
		{"cur", "?int amount", "?str currencyCode"},
	}},
	{"MakeDateTime", "datetime", [][]string{
		{"dtm", "int year", "int month", "int day", "int hour", "int minute", "int second"},
		{"dtm", "int year", "int month", "int day"},
	}},
	{"MakeDuration", "datetime", [][]string{
		{"dur", "int day", "int hour", "int minute", "int second"},
		{"dur", "int day", "int hour", "int minute", "int second", "int milliseconds"},
	}},
	{"MakeEmailAddress", "email", [][]string{
		{"cpx_email_address", "str address"},
		{"cpx_email_address", "str address", "?str name"},
	}},
	{"MakeEmptyList", "list", [][]string{
		{"any[]", "?any item"},
	}},
	{"MakeList", "list", [][]string{
		{"any[]", "?any item..."},
	}},
	{"MakeListCurrency", "financial", [][]string{
		{"cur[]", "dec[] amounts", "?str currencyCode"},
		{"cur[]", "dec[] amounts", "str[] currencyCodes"},
	}},
	{"Minute", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"Month", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"RTrim", "text", [][]string{
		{"str", "str stringToTrim"},
	}},
	{"Range", "datetime", [][]string{
		{"dur[]", "dur durationToRound", "dur intervalDuration"},
	}},
	{"Replace", "text", [][]string{
		{"str", "str text", "str findString", "?str replacementString | A NOT_SET value is treated as a blank string."},
	}},
	{"Reverse", "text", [][]string{
		{"str", "str text"},
	}},
	{"Right", "text", [][]string{
		{"str", "str srcString", "int length"},
	}},
	{"Round", "mathematical", [][]string{
		{"cur", "cur currencyValue"},
		{"dec", "dec value"},
		{"dec", "dec value", "int digits"},
		{"cur", "cur value", "int digits"},
	}},
	{"RoundUp", "datetime", [][]string{
		{"dur", "dur durationToRound"},
		{"dur", "dur durationToRound", "dur intervalDurationValue"},
		{"dur", "dur durationToRound", "dur intervalDurationValue", "dur[] specificDurationValues"},
	}},
	{"Second", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"Split", "text", [][]string{
		{"str[]", "str textToSplit", "str delimiter"},
	}},
	{"Substring", "text", [][]string{
		{"str", "str text", "int start", "int length"},
	}},
	{"Sum", "mathematical", [][]string{
		{"int", "?int integerValue | If the Integer value is NOT_SET, it will be treated as 0.", "?int nextIntegerValue... | If the Integer value is NOT_SET, it will be treated as 0."},
		{"cur", "?cur currencyValue | If the Currency value is NOT_SET, it will be skipped.", "?cur nextCurrencyValue... | If the Currency value is NOT_SET, it will be skipped."},
		{"dec", "?dec decimalValue | A NOT_SET decimal is treated as 0.0.", "?dec nextDecimalValue... | An additional Decimal to sum  A NOT_SET decimal is treated as 0.0."},
		{"dur", "?dur value | A NOT_SET Duration is treated as a 0 second duration.", "?dur nextValue... | A NOT_SET Duration is treated as a 0 second duration."},
		{"int", "int[] integerCollection"},
		{"cur", "cur[] currencyCollection"},
		{"dec", "dec[] decimalCollection"},
		{"dur", "dur[] value"},
	}},
	{"ToAudio", "cast", [][]string{
		{"aud", "pmt promptToConvert"},
	}},
	{"ToAudioBlank", "cast", [][]string{
		{"aud", "int lengthMs"},
	}},
	{"ToBool", "cast", [][]string{
		{"bln", "?dec valueToConvert"},
		{"bln", "?str valueToConvert | Valid String values are \"True\", \"1\", \"T\", \"False\", \"0\", \"F\" and NOT_SET."},
		{"bln", "?int valueToConvert"},
		{"bln", "?nts valueToConvert | The value NOT_SET to convert to a Boolean."},
		{"bln", "bln valueToReturn"},
	}},
	{"ToCurrency", "cast", [][]string{
		{"cur", "?str valueToConvert"},
		{"cur", "?dec valueToConvert"},
		{"cur", "?int valueToConvert"},
		{"cur", "?nts nullValue | The NOT_SET value."},
		{"cur", "?cur valueToReturn"},
	}},
	{"ToDateTime", "cast", [][]string{
		{"dtm", "?str text"},
		{"dtm", "?int valueToConvert"},
		{"dtm", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET DateTime."},
		{"dtm", "?dtm valueToReturn"},
	}},
	{"ToDecimal", "cast", [][]string{
		{"dec", "?bln valueToConvert"},
		{"dec", "?cur valueToConvert"},
		{"dec", "?str valueToConvert"},
		{"dec", "?int valueToConvert"},
		{"dec", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET Decimal."},
		{"dec", "?dec valueToReturn"},
	}},
	{"ToDuration", "cast", [][]string{
		{"dur", "?str valueToConvert"},
		{"dur", "?int valueToConvert"},
		{"dur", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET Duration."},
		{"dur", "?dur valueToReturn"},
	}},
	{"ToGroup", "cast", [][]string{
		{"grp", "?str valueToConvert"},
		{"grp", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET Group."},
		{"grp", "?grp valueToReturn"},
	}},
	{"ToInt", "cast", [][]string{
		{"int", "?bln valueToConvert"},
		{"int", "?dec valueToConvert"},
		{"int", "?str valueToConvert"},
		{"int", "?nts valueToConvert | The NOT_SET value to convert to an Integer."},
		{"int", "?int valueToReturn"},
		{"int", "?dur valueToConvert"},
	}},
	{"ToLanguageSkill", "cast", [][]string{
		{"lac", "?str languageTag"},
		{"lac", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET LanguageSkill."},
		{"lac", "lac valueToReturn"},
	}},
	{"ToPhoneNumber", "cast", [][]string{
		{"phn", "str valueToConvert"},
		{"phn", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET PhoneNumber."},
		{"phn", "?phn valueToReturn"},
	}},
	{"ToQueue", "cast", [][]string{
		{"que", "?str valueToConvert"},
		{"que", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET Queue."},
		{"que", "?que valueToReturn"},
	}},
	{"ToSkill", "cast", [][]string{
		{"skl", "?str skillName"},
		{"skl", "?nts valueToConvert | The NOT_SET value to convert to a Skill."},
		{"skl", "?skl valueToReturn"},
	}},
	{"ToString", "cast", [][]string{
		{"str", "?any valueToConvert"},
		{"str", "?nts nullValue | The value NOT_SET"},
		{"str", "any[] valueToConvert"},
		{"str", "any[] valueToConvert", "?str delimiter | If the delimiter is a NOT_SET string, a newline will be used for the delimiter."},
		{"str", "?dec decimalValueToConvert", "int decimalPlaces"},
		{"str", "?cur currencyValueToConvert", "int decimalPlaces"},
		{"str", "dec[] valueToConvert", "int decimalPlaces"},
		{"str", "?cur[] currencyCollectionToConvert", "int decimalPlaces"},
		{"str", "dec[] valueToConvert", "?str delimiter | If the delimiter is a NOT_SET string, a newline will be used.", "int decimalPlaces"},
		{"str", "?cur[] currencyCollectionToConvert", "?str delimiter | If the delimiter is a NOT_SET string, a newline will be used.", "int decimalPlaces"},
	}},
	{"ToUser", "cast", [][]string{
		{"usr", "?str userName"},
		{"usr", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET User."},
		{"usr", "?usr valueToReturn"},
	}},
	{"ToWrapupCode", "cast", [][]string{
		{"wrc", "?str valueToConvert"},
		{"wrc", "?nts valueToConvert | The NOT_SET value to convert to a NOT_SET Wrapup Code."},
		{"wrc", "?wrc valueToReturn"},
	}},
	{"Trim", "text", [][]string{
		{"str", "str stringToTrim"},
	}},
	{"Upper", "text", [][]string{
		{"str", "str text"},
	}},
	{"WeekNum", "datetime", [][]string{
		{"int", "dtm value"},
	}},
	{"Year", "datetime", [][]string{
		{"int", "dtm value"},
	}},
}
