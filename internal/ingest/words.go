package ingest

// Closed word classes the token rules skip or stop at, folded (no accents,
// lower case). They stand in for part-of-speech tags when no tagger runs.
var (
	determiners = set("le la les l' un une des du de d' ce cet cette ces son sa ses leur leurs the a an this that these those its their his her our plusieurs several some certains quelques tous all both deux two")
	auxiliaries = set("a ont avait avaient aura auront aurait auraient est sont etait etaient sera seront serait seraient ete etre avoir has have had having is are was were be been being will would could should may might must can did does do shall")
	// Time words between subject and verb: "who last year threatened",
	// "qui l'an dernier avait menacé".
	timeWords = set("last year years week weeks month months ago earlier later today yesterday tonight l'an an dernier derniere annee semaine mois hier aujourd'hui")
	// Intensifiers between subject and verb: "la Russie a elle-même soutenu".
	intensifiers = set("elle-meme lui-meme eux-memes elles-memes itself himself herself themselves meme")
	negations    = set("ne n' pas plus jamais ni not never no n't")
	modalVerbs   = set("pourrait pourraient pourra pourront peut peuvent devrait devraient doit doivent voudrait could would might may should must can will")
	// Adverbs that sit between a verb and its object or subject.
	adverbs = set("explicitement egalement aussi deja encore toujours fermement vivement publiquement officiellement notamment ensuite enfin mercredi jeudi vendredi samedi dimanche lundi mardi also already still strongly publicly officially firmly repeatedly again further en outre y compris directly recently recemment jointly conjointement")
	// Clause boundaries: a subject or object is not looked for across them.
	boundaries = set(". ; ! ? qui que qu' dont which who whom whose that lorsque quand alors parce puisque si tandis because while when although whereas if but mais")
	// Relative pronouns that stand for the antecedent as subject.
	relSubject = set("qui which who that")
	// Relative pronouns that stand for the antecedent as object.
	relObject = set("que qu' which that")
	// Nouns for people and bodies acting for a country: "Chinese officials",
	// "les autorités russes", "the U.S. ambassador".
	agentNouns = set("responsable responsables officiel officiels official officials autorites authorities gouvernement government governments regime forces troupes troops army armee armees militaires military ministere ministry ministre minister ministers diplomate diplomates diplomat diplomats dirigeant dirigeants leader leaders president presidente premier chef chief porte-parole spokesman spokeswoman spokesperson ambassadeur ambassadrice ambassador envoy envoye delegation negociateurs negotiators media medias agence agency police navy marine aviation parlement parliament congress congres lawmakers deputes senat senate administration fire tirs tir tank tanks chars char jets warplanes avions drones drone missiles artillery artillerie soldiers soldats militants")
	// Pronouns that pick up an actor named before.
	pluralPronouns   = set("ils elles nous they we eux")
	singularPronouns = set("il elle he she it")
	// Definite descriptions of a group already named.
	groupNouns = set("coalition allies allie partenaires partners signataires signatories occidentaux bloc")
	// Nouns naming a country already named: "ce pays", "the country".
	countryNouns = set("pays country countries nation nations etat etats state states regime")
	// Prepositions of place or direction: "ambassador to China" does not make
	// China the actor.
	placePreps = map[string]map[string]bool{
		"fr": set("a au aux en aupres vers pres depuis"),
		"en": set("to in at toward towards near from"),
	}
	// Light verbs whose object noun carries the event: "imposer un
	// embargo", "launch strikes", "constitue une violation".
	lightVerbs = set("announce announced announces annonce annonce annoncent annoncees boost boosted boosts tighten tightened tightens extend extended extends renforce renforcer renforcent renforcees durci durcir durcit prolonge prolonger prolongent had has have having held hold holds holding heaped tenu tient tiennent tenaient eu imposer impose imposent impose imposes imposed imposed imposing lance lancer lancent lancee lances lancees launch launched launches launching mene mener menent menee conduct conducted carry carried constitue constituent constituait constitute constitutes constituted represente representent represent represents amounts amount")
	// Infinitive markers of a controlled complement: "accuse X d'avoir
	// tiré", "condemn X for supplying", "urge X to stop".
	ctrlMarkers = set("de d' pour a of for to")
	// Nouns naming documents that actors sign, issue, adopt or violate.
	documentNouns = map[string]string{
		"communique": "statement", "declaration": "statement", "statement": "statement", "lettre": "letter", "letter": "letter",
		"resolution": "resolution", "resolutions": "resolution", "accord": "agreement", "accords": "agreement", "agreement": "agreement", "agreements": "agreement",
		"traite": "treaty", "traites": "treaty", "treaty": "treaty", "treaties": "treaty", "deal": "agreement", "pacte": "agreement", "pact": "agreement",
		"convention": "treaty", "charte": "treaty", "charter": "treaty", "sanctions": "", "texte": "statement", "memorandum": "agreement",
	}
	months = map[string]int{
		"janvier": 1, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "decembre": 12,
		"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
		"jan.": 1, "feb.": 2, "mar.": 3, "apr.": 4, "jun.": 6, "jul.": 7, "aug.": 8, "sep.": 9, "sept.": 9, "oct.": 10, "nov.": 11, "dec.": 12,
	}
	weekdays = map[string]int{
		"dimanche": 0, "lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6,
		"sunday": 0, "monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6,
	}
)
