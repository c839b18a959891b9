//! Norwegian bokmål (default), English and Danish for the web UI.
//!
//! Plain tables rather than Fluent: the UI has a few dozen strings and no
//! plural rules beyond what fits in the sentence; a missing key falls back
//! to bokmål so a page never shows a raw key.

use std::collections::BTreeMap;

use axum::http::HeaderMap;
use axum_extra::extract::cookie::CookieJar;
use chrono::{Datelike, NaiveDate};

pub const LANG_COOKIE: &str = "samlet_lang";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Nb,
    En,
    Da,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nb => "nb",
            Lang::En => "en",
            Lang::Da => "da",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nb" | "no" | "nn" | "nb-no" | "no-no" | "nn-no" => Some(Lang::Nb),
            "en" | "en-gb" | "en-us" => Some(Lang::En),
            "da" | "da-dk" => Some(Lang::Da),
            _ => None,
        }
    }

    /// The language cookie wins, then the browser's Accept-Language, then bokmål.
    pub fn from_request(headers: &HeaderMap) -> Self {
        let jar = CookieJar::from_headers(headers);
        if let Some(l) = jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
            return l;
        }
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.split(',')
                    .filter_map(|part| Lang::parse(part.split(';').next().unwrap_or("")))
                    .next()
            })
            .unwrap_or(Lang::Nb)
    }

    pub fn table(self) -> BTreeMap<&'static str, &'static str> {
        let mut t: BTreeMap<_, _> = NB.iter().copied().collect();
        let over = match self {
            Lang::Nb => &[][..],
            Lang::En => EN,
            Lang::Da => DA,
        };
        t.extend(over.iter().copied());
        t
    }

    pub fn t(self, key: &str) -> &'static str {
        let find = |tab: &[(&'static str, &'static str)]| {
            tab.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
        };
        let own = match self {
            Lang::Nb => None,
            Lang::En => find(EN),
            Lang::Da => find(DA),
        };
        own.or_else(|| find(NB)).unwrap_or("")
    }

    /// "1. mars 2026" / "1 March 2026" / "1. marts 2026".
    pub fn date(self, d: NaiveDate) -> String {
        const NB_M: [&str; 12] = [
            "januar",
            "februar",
            "mars",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "desember",
        ];
        const EN_M: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        const DA_M: [&str; 12] = [
            "januar",
            "februar",
            "marts",
            "april",
            "maj",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "december",
        ];
        let i = d.month0() as usize;
        match self {
            Lang::Nb => format!("{}. {} {}", d.day(), NB_M[i], d.year()),
            Lang::En => format!("{} {} {}", d.day(), EN_M[i], d.year()),
            Lang::Da => format!("{}. {} {}", d.day(), DA_M[i], d.year()),
        }
    }

    /// "1 766,00 kr" (nb, da) / "NOK 1,766.00" (en), from a canonical "1766.00".
    pub fn money(self, amount: &str, currency: &str) -> String {
        let (neg, a) = amount
            .strip_prefix('-')
            .map(|a| (true, a))
            .unwrap_or((false, amount));
        let (int, frac) = a.split_once('.').unwrap_or((a, "00"));
        let sep = if self == Lang::En { ',' } else { '\u{a0}' };
        let mut grouped = String::new();
        for (i, c) in int.chars().enumerate() {
            if i > 0 && (int.len() - i) % 3 == 0 {
                grouped.push(sep);
            }
            grouped.push(c);
        }
        let sign = if neg { "−" } else { "" };
        match (self, currency) {
            (Lang::En, c) => format!("{sign}{c}\u{a0}{grouped}.{frac}"),
            (_, "NOK") | (_, "DKK") => format!("{sign}{grouped},{frac}\u{a0}kr"),
            (_, c) => format!("{sign}{grouped},{frac}\u{a0}{c}"),
        }
    }
}

const NB: &[(&str, &str)] = &[
    ("skip_to_content", "Hopp til hovedinnhold"),
    ("tagline", "Hele det offentlige, samlet på ett sted"),
    ("language", "Språk"),
    ("log_in", "Logg inn"),
    ("log_out", "Logg ut"),
    ("landing_title", "Alt det offentlige har med deg å gjøre, på ett sted"),
    ("landing_lead", "Se saker, frister, utbetalinger og meldinger fra alle offentlige etater samlet. Du trenger ikke vite hvilken etat som har hva."),
    ("landing_cta", "Logg inn for å se oversikten din"),
    ("login_title", "Logg inn"),
    ("login_idporten", "Logg inn med ID-porten"),
    ("login_dev_title", "Testinnlogging (bare i utviklingsmodus)"),
    ("login_dev_help", "Skriv et syntetisk fødselsnummer (11 siffer), eller velg en testperson."),
    ("login_pid_label", "Fødselsnummer eller D-nummer"),
    ("login_demo_persons", "Testpersoner"),
    ("overview_title", "Din oversikt"),
    ("todo", "Dette bør du se på"),
    ("todo_overdue", "Frister som er passert"),
    ("todo_waiting", "Saker som venter på deg"),
    ("todo_unread", "Uleste meldinger"),
    ("todo_nothing", "Ingenting venter på deg akkurat nå."),
    ("logged_in_as", "Innlogget som"),
    ("deadlines", "Frister"),
    ("no_deadlines", "Du har ingen frister."),
    ("deadline_what", "Hva"),
    ("deadline_due", "Frist"),
    ("from_agency", "Fra"),
    ("overdue", "Fristen er passert"),
    ("cases", "Saker"),
    ("open_cases", "Åpne saker"),
    ("closed_cases", "Avsluttede saker"),
    ("no_cases", "Du har ingen saker."),
    ("case_history", "Historikk"),
    ("case_opened", "Opprettet"),
    ("case_link", "Gå til saken hos etaten"),
    ("status_received", "Mottatt"),
    ("status_in_progress", "Under behandling"),
    ("status_awaiting_citizen", "Venter på deg"),
    ("status_decided", "Vedtak fattet"),
    ("status_appealed", "Klage under behandling"),
    ("status_closed", "Avsluttet"),
    ("status_withdrawn", "Trukket"),
    ("benefits", "Ytelser og utbetalinger"),
    ("no_benefits", "Du har ingen løpende ytelser."),
    ("benefit_name", "Ytelse"),
    ("benefit_amount", "Beløp"),
    ("next_payment", "Neste utbetaling"),
    ("not_scheduled", "Ikke fastsatt"),
    ("messages", "Meldinger"),
    ("no_messages", "Du har ingen meldinger."),
    ("unread", "Ulest"),
    ("unread_count", "uleste"),
    ("subject", "Emne"),
    ("received", "Mottatt"),
    ("back_to_overview", "Tilbake til oversikten"),
    ("calendar", "Kalender"),
    ("calendar_help", "Få fristene og utbetalingsdatoene dine i kalenderen din (iCalendar). Lenken er privat: alle som har den, ser datoene."),
    ("calendar_create", "Lag kalenderlenke"),
    ("calendar_renew", "Lag ny lenke (den gamle slutter å virke)"),
    ("calendar_revoke", "Slett kalenderlenken"),
    ("calendar_url_title", "Din private kalenderlenke"),
    ("calendar_url_help", "Kopier lenken og legg den til som abonnement i kalenderprogrammet ditt. Lenken vises bare nå."),
    ("calendar_revoked", "Kalenderlenken er slettet. Kalendere som abonnerte på den, får ikke flere oppdateringer."),
    ("more_messages", "Eldre meldinger"),
    ("page", "Side"),
    ("error_title", "Noe gikk galt"),
    ("not_found_title", "Fant ikke siden"),
    ("fs_library_title", "Drivkrefter og trender"),
    ("fs_library_lead", "Biblioteket strategiteamet bygger evalueringer fra: Digdirs 17 drivkrefter mot 2030 for offentlig sektor, og de 14 trendene i tre temaer fra fremtidsstudien av helse og omsorg, med nøkkeltall og kilder."),
    ("fs_driving_forces", "Drivkrefter"),
    ("fs_trends", "Trender"),
    ("fs_key_figures", "Nøkkeltall"),
    ("fs_sources", "Kilder"),
    ("fs_study_scores", "Studiens vurdering (9. november 2021)"),
    ("fs_join_title", "Bli med i evalueringen"),
    ("fs_join_lead", "Du svarer anonymt. Vi lagrer ikke hvem du er, IP-adressen din eller noe om enheten din."),
    ("fs_join_what", "Du vurderer hver trend på to skalaer fra 1 til 6, og kan endre svarene til evalueringen avsluttes."),
    ("fs_join_code_label", "Koden på skjermen"),
    ("fs_join_button", "Bli med"),
    ("fs_unknown_code", "Ingen evaluering har den koden. Sjekk koden på skjermen."),
    ("fs_wrong_key", "Lenken har feil nøkkel for denne evalueringen."),
    ("fs_closed", "Evalueringen er avsluttet."),
    ("fs_ballot_title", "Vurder trendene"),
    ("fs_ballot_lead", "Vurder hvor viktig hver trend blir mot 2030, og hvor godt beredt sektoren er i dag. Du kan endre svarene til evalueringen avsluttes."),
    ("fs_about_you", "Om deg (frivillig)"),
    ("fs_role", "Rolle"),
    ("fs_no_answer", "Vil ikke svare"),
    ("fs_experience", "Antall års erfaring"),
    ("fs_experience_help", "Hele år. La feltet stå tomt om du ikke vil svare."),
    ("fs_importance", "Viktighet"),
    ("fs_preparedness", "Beredskap"),
    ("fs_importance_q", "Hvor viktig blir trenden?"),
    ("fs_preparedness_q", "Hvor godt beredt er sektoren?"),
    ("fs_theme", "Tema"),
    ("fs_trend", "Trend"),
    ("fs_submit", "Send svarene"),
    ("fs_saved", "Svarene er lagret. Du kan endre dem til evalueringen avsluttes."),
    ("fs_errors", "Noen svar mangler eller er feil"),
    ("fs_missing_rating", "velg en verdi fra 1 til 6."),
    ("fs_bad_experience", "Skriv et helt antall år fra 0 til 70, eller la feltet stå tomt."),
    ("fs_join_at", "Bli med på"),
    ("fs_with_code", "med koden"),
    ("fs_qr_alt", "QR-kode som åpner"),
    ("fs_joined", "har blitt med"),
    ("fs_voted", "har svart"),
    ("fs_close", "Avslutt evalueringen"),
    ("fs_results_after_close", "Resultatene vises her når evalueringen er avsluttet, så ingen blir påvirket underveis."),
    ("fs_report", "Rapport"),
    ("fs_report_title", "Evaluering av trendene"),
    ("fs_report_kicker", "Fremsyn"),
    ("fs_method", "Metode"),
    ("fs_participants", "Deltakere"),
    ("fs_data", "Data"),
    ("fs_blind_spot", "Strategisk blindsone"),
    ("fs_blind_spot_rule_1", "Trender i blindsonen har gjennomsnittlig viktighet over"),
    ("fs_blind_spot_rule_2", "og gjennomsnittlig beredskap under"),
    ("fs_none_blind", "Ingen trender er i blindsonen."),
    ("fs_gap_ranking", "Trendene sortert etter gap"),
    ("fs_gap", "Gap"),
    ("fs_themes", "Gjennomsnittlig gap per tema"),
    ("fs_widest_theme", "Størst gjennomsnittlig gap har temaet"),
    ("fs_mean_gap", "Gjennomsnittlig gap"),
    ("fs_segments", "Mønstre etter rolle og erfaring"),
    ("fs_segments_lead", "Grupper med færre enn fem svar vises ikke, og heller ikke grupper som ville la dem regnes ut."),
    ("fs_by_role", "Etter rolle"),
    ("fs_by_experience", "Etter erfaring"),
    ("fs_segment", "Gruppe"),
    ("fs_ballots", "Svar"),
    ("fs_top_gaps", "Største gap"),
    ("fs_hidden", "Skjult for å verne anonymiteten (færre enn 5 svar)"),
    ("fs_not_said", "Ikke oppgitt"),
    ("fs_nothing_yet", "Ingen svar ennå."),
    ("fs_yes", "Ja"),
    ("fs_no", "Nei"),
    // Rules as code (module 3).
    ("rules_title", "Prøv regelen"),
    ("rules_lead", "Se hva regelverket gir for en husstand, og hvorfor: hvilke vilkår som er oppfylt, hvilke satser og opplysninger som er brukt, og hvilken paragraf. Ingenting du skriver her blir lagret."),
    ("rules_period", "Måned (ÅÅÅÅ-MM)"),
    ("rules_period_help", "For eksempel 2024-09."),
    ("rules_household", "Husstanden (JSON)"),
    ("rules_household_help", "Én linje per person med rolle (parent eller child), fødselsdato og årsinntekt. Bruk oppdiktede personer."),
    ("rules_explain", "Forklar"),
    ("rules_error", "Kunne ikke regne ut"),
    ("rules_result", "Resultat og begrunnelse"),
    ("rules_trace", "Sporing for maskiner (JSON)"),
    ("rules_not_json", "Husstanden er ikke gyldig JSON"),
    // Life events (module 2).
    ("journeys", "Livshendelser"),
    ("no_journeys", "Du har ingen livshendelser med oppgaver nå."),
    ("journey_event_date", "Dato for hendelsen"),
    ("journey_tasks_done", "oppgaver gjort"),
    ("journey_done", "Gjort"),
    ("journey_todo", "Ikke gjort"),
    ("journey_may_apply", "Kan gjelde deg"),
    ("journey_by_agency", "Etaten gjør dette"),
    ("journey_by_you", "Du gjør dette"),
    ("journey_go_to", "Gå til"),
    ("journey_mark_done", "Merk som gjort"),
    ("journey_marked_done", "Oppgaven er merket som gjort."),
    ("offers", "Dette kan du ha rett til"),
    ("offer_may_be_entitled", "Du kan ha rett til"),
    ("offer_per_month", "per måned"),
    ("offer_why", "Hvorfor?"),
    ("offer_apply", "Søk eller les mer"),
    ("access_log_link", "Hvem har sett på dataene mine?"),
    ("access_log_title", "Hvem har sett på dataene mine"),
    ("access_log_lead", "Her ser du hver gang en etat eller noen andre enn deg har hentet opplysninger om deg gjennom Samlet: hvem, når, hvilke opplysninger, hvorfor og med hvilket rettsgrunnlag. Loggen er offentlig kontrollerbar, så ingen oppføring kan fjernes uten at det oppdages."),
    ("access_log_filter", "Avgrens"),
    ("access_log_agency", "Etat (organisasjonsnummer)"),
    ("access_log_from", "Fra dato"),
    ("access_log_to", "Til dato"),
    ("access_log_apply", "Vis"),
    ("access_log_when", "Når"),
    ("access_log_who", "Hvem"),
    ("access_log_what", "Opplysninger"),
    ("access_log_why", "Formål og rettsgrunnlag"),
    ("access_log_check", "Kontroll"),
    ("access_log_verified", "Bekreftet i den offentlige loggen"),
    ("access_log_unverified", "Ikke bekreftet"),
    ("access_log_none", "Ingen andre har hentet opplysninger om deg i denne perioden."),
    ("access_log_missing", "Advarsel: noen oppføringer i loggen mangler detaljer uten å være slettet etter reglene for lagringstid. Det kan bety at oppføringer er skjult. Antall:"),
    ("access_log_checkpoint", "Kontrollert mot signert kontrollpunkt, antall oppføringer i loggen:"),
    ("access_log_on_behalf", "på vegne av"),
    ("access_log_newer", "Nyere"),
    ("access_log_older", "Eldre"),
    ("cat_cases", "Saker"),
    ("cat_deadlines", "Frister"),
    ("cat_benefits", "Ytelser"),
    ("cat_messages", "Meldinger"),
    // Life events, second step (issue 5): citizen questions, offers from rule changes.
    ("journey_questions", "Spørsmål bare du kan svare på"),
    ("journey_questions_lead", "Ingen register vet dette. Svarene dine avgjør hvilke oppgaver som gjelder deg, og vises som egenerklært. Oppgaver du har gjort, blir stående."),
    ("journey_not_sure", "Vet ikke ennå"),
    ("journey_save_answers", "Lagre svarene"),
    ("journey_answers_saved", "Svarene er lagret, og sjekklisten er oppdatert."),
    ("journey_self_declared", "Egenerklært"),
    ("journey_based_on_you", "Gjelder fordi du har oppgitt:"),
    ("offer_up_to", "inntil"),
    ("offer_rule_change", "Nytt fordi reglene er endret"),
];

const EN: &[(&str, &str)] = &[
    ("skip_to_content", "Skip to main content"),
    ("tagline", "The whole public sector, gathered in one place"),
    ("language", "Language"),
    ("log_in", "Log in"),
    ("log_out", "Log out"),
    ("landing_title", "Everything the public sector has going on with you, in one place"),
    ("landing_lead", "See cases, deadlines, payments and messages from every public agency together. You do not need to know which agency holds what."),
    ("landing_cta", "Log in to see your overview"),
    ("login_title", "Log in"),
    ("login_idporten", "Log in with ID-porten"),
    ("login_dev_title", "Test login (development mode only)"),
    ("login_dev_help", "Enter a synthetic national identity number (11 digits), or choose a test person."),
    ("login_pid_label", "National identity number or D number"),
    ("login_demo_persons", "Test persons"),
    ("overview_title", "Your overview"),
    ("todo", "Needs your attention"),
    ("todo_overdue", "Deadlines that have passed"),
    ("todo_waiting", "Cases waiting for you"),
    ("todo_unread", "Unread messages"),
    ("todo_nothing", "Nothing is waiting for you right now."),
    ("logged_in_as", "Logged in as"),
    ("deadlines", "Deadlines"),
    ("no_deadlines", "You have no deadlines."),
    ("deadline_what", "What"),
    ("deadline_due", "Due"),
    ("from_agency", "From"),
    ("overdue", "Overdue"),
    ("cases", "Cases"),
    ("open_cases", "Open cases"),
    ("closed_cases", "Closed cases"),
    ("no_cases", "You have no cases."),
    ("case_history", "History"),
    ("case_opened", "Opened"),
    ("case_link", "Go to the case at the agency"),
    ("status_received", "Received"),
    ("status_in_progress", "In progress"),
    ("status_awaiting_citizen", "Waiting for you"),
    ("status_decided", "Decided"),
    ("status_appealed", "Appeal in progress"),
    ("status_closed", "Closed"),
    ("status_withdrawn", "Withdrawn"),
    ("benefits", "Benefits and payments"),
    ("no_benefits", "You have no ongoing benefits."),
    ("benefit_name", "Benefit"),
    ("benefit_amount", "Amount"),
    ("next_payment", "Next payment"),
    ("not_scheduled", "Not scheduled"),
    ("messages", "Messages"),
    ("no_messages", "You have no messages."),
    ("unread", "Unread"),
    ("unread_count", "unread"),
    ("subject", "Subject"),
    ("received", "Received"),
    ("back_to_overview", "Back to the overview"),
    ("calendar", "Calendar"),
    ("calendar_help", "Get your deadlines and payment dates in your own calendar (iCalendar). The link is private: anyone who has it can see the dates."),
    ("calendar_create", "Create calendar link"),
    ("calendar_renew", "Create a new link (the old one stops working)"),
    ("calendar_revoke", "Delete the calendar link"),
    ("calendar_url_title", "Your private calendar link"),
    ("calendar_url_help", "Copy the link and add it as a subscription in your calendar app. The link is shown only now."),
    ("calendar_revoked", "The calendar link is deleted. Calendars subscribed to it get no more updates."),
    ("more_messages", "Older messages"),
    ("page", "Page"),
    ("error_title", "Something went wrong"),
    ("not_found_title", "Page not found"),
    ("fs_library_title", "Driving forces and trends"),
    ("fs_library_lead", "The library a strategy team builds evaluations from: Digdir's 17 driving forces toward 2030 for the public sector, and the 14 trends in three themes from the future study of health and care, with key figures and sources."),
    ("fs_driving_forces", "Driving forces"),
    ("fs_trends", "Trends"),
    ("fs_key_figures", "Key figures"),
    ("fs_sources", "Sources"),
    ("fs_study_scores", "The study's rating (9 November 2021)"),
    ("fs_join_title", "Join the evaluation"),
    ("fs_join_lead", "You answer anonymously. We store nothing about who you are, your IP address or your device."),
    ("fs_join_what", "You rate each trend on two scales from 1 to 6, and can change your answers until the evaluation closes."),
    ("fs_join_code_label", "The code on the screen"),
    ("fs_join_button", "Join"),
    ("fs_unknown_code", "No evaluation has that code. Check the code on the screen."),
    ("fs_wrong_key", "The link has the wrong key for this evaluation."),
    ("fs_closed", "The evaluation is closed."),
    ("fs_ballot_title", "Rate the trends"),
    ("fs_ballot_lead", "Rate how important each trend will be toward 2030, and how well prepared the sector is today. You can change your answers until the evaluation closes."),
    ("fs_about_you", "About you (optional)"),
    ("fs_role", "Role"),
    ("fs_no_answer", "Prefer not to say"),
    ("fs_experience", "Years of experience"),
    ("fs_experience_help", "Whole years. Leave it empty if you prefer not to say."),
    ("fs_importance", "Importance"),
    ("fs_preparedness", "Preparedness"),
    ("fs_importance_q", "How important will the trend be?"),
    ("fs_preparedness_q", "How well prepared is the sector?"),
    ("fs_theme", "Theme"),
    ("fs_trend", "Trend"),
    ("fs_submit", "Submit answers"),
    ("fs_saved", "Your answers are saved. You can change them until the evaluation closes."),
    ("fs_errors", "Some answers are missing or invalid"),
    ("fs_missing_rating", "pick a value from 1 to 6."),
    ("fs_bad_experience", "Enter whole years from 0 to 70, or leave it empty."),
    ("fs_join_at", "Join at"),
    ("fs_with_code", "with the code"),
    ("fs_qr_alt", "QR code that opens"),
    ("fs_joined", "joined"),
    ("fs_voted", "voted"),
    ("fs_close", "Close the evaluation"),
    ("fs_results_after_close", "The results appear here once the evaluation is closed, so nobody is swayed along the way."),
    ("fs_report", "Report"),
    ("fs_report_title", "Evaluation of the trends"),
    ("fs_report_kicker", "Foresight"),
    ("fs_method", "Method"),
    ("fs_participants", "Participants"),
    ("fs_data", "Data"),
    ("fs_blind_spot", "Strategic blind spot"),
    ("fs_blind_spot_rule_1", "Trends in the blind spot have mean importance above"),
    ("fs_blind_spot_rule_2", "and mean preparedness below"),
    ("fs_none_blind", "No trends are in the blind spot."),
    ("fs_gap_ranking", "Trends sorted by gap"),
    ("fs_gap", "Gap"),
    ("fs_themes", "Average gap per theme"),
    ("fs_widest_theme", "The theme with the largest average gap is"),
    ("fs_mean_gap", "Average gap"),
    ("fs_segments", "Patterns by role and experience"),
    ("fs_segments_lead", "Groups with fewer than five ballots are not shown, nor groups that would let them be worked out."),
    ("fs_by_role", "By role"),
    ("fs_by_experience", "By experience"),
    ("fs_segment", "Group"),
    ("fs_ballots", "Ballots"),
    ("fs_top_gaps", "Largest gaps"),
    ("fs_hidden", "Hidden to protect anonymity (fewer than 5 ballots)"),
    ("fs_not_said", "Not given"),
    ("fs_nothing_yet", "No ballots yet."),
    ("fs_yes", "Yes"),
    ("fs_no", "No"),
    // Rules as code (module 3).
    ("rules_title", "Try the rule"),
    ("rules_lead", "See what the rules give a household, and why: which conditions held, which rates and data were used, and which paragraph. Nothing you enter here is stored."),
    ("rules_period", "Month (YYYY-MM)"),
    ("rules_period_help", "For example 2024-09."),
    ("rules_household", "The household (JSON)"),
    ("rules_household_help", "One line per person with role (parent or child), date of birth and annual income. Use invented persons."),
    ("rules_explain", "Explain"),
    ("rules_error", "Could not calculate"),
    ("rules_result", "Result and reasons"),
    ("rules_trace", "Trace for machines (JSON)"),
    ("rules_not_json", "The household is not valid JSON"),
    // Life events (module 2).
    ("journeys", "Life events"),
    ("no_journeys", "You have no life events with tasks right now."),
    ("journey_event_date", "Date of the event"),
    ("journey_tasks_done", "tasks done"),
    ("journey_done", "Done"),
    ("journey_todo", "Not done"),
    ("journey_may_apply", "May apply to you"),
    ("journey_by_agency", "The agency does this"),
    ("journey_by_you", "You do this"),
    ("journey_go_to", "Go to"),
    ("journey_mark_done", "Mark as done"),
    ("journey_marked_done", "The task is marked as done."),
    ("offers", "You may be entitled to"),
    ("offer_may_be_entitled", "You may be entitled to"),
    ("offer_per_month", "per month"),
    ("offer_why", "Why?"),
    ("offer_apply", "Apply or read more"),
    ("access_log_link", "Who has looked at my data?"),
    ("access_log_title", "Who has looked at my data"),
    ("access_log_lead", "Every time an agency or anyone other than you fetched information about you through Samlet: who, when, which information, why and on which legal basis. The log can be checked by anyone, so no entry can be removed unnoticed."),
    ("access_log_filter", "Filter"),
    ("access_log_agency", "Agency (organisation number)"),
    ("access_log_from", "From date"),
    ("access_log_to", "To date"),
    ("access_log_apply", "Show"),
    ("access_log_when", "When"),
    ("access_log_who", "Who"),
    ("access_log_what", "Information"),
    ("access_log_why", "Purpose and legal basis"),
    ("access_log_check", "Check"),
    ("access_log_verified", "Verified in the public log"),
    ("access_log_unverified", "Not verified"),
    ("access_log_none", "Nobody else fetched information about you in this period."),
    ("access_log_missing", "Warning: some log entries have lost their details without being deleted by the retention rules. Entries may have been hidden. Count:"),
    ("access_log_checkpoint", "Checked against a signed checkpoint, entries in the log:"),
    ("access_log_on_behalf", "on behalf of"),
    ("access_log_newer", "Newer"),
    ("access_log_older", "Older"),
    ("cat_cases", "Cases"),
    ("cat_deadlines", "Deadlines"),
    ("cat_benefits", "Benefits"),
    ("cat_messages", "Messages"),
    // Life events, second step (issue 5): citizen questions, offers from rule changes.
    ("journey_questions", "Questions only you can answer"),
    ("journey_questions_lead", "No register knows this. Your answers decide which tasks apply to you and are shown as self-declared. Tasks you have done stay on the list."),
    ("journey_not_sure", "Not sure yet"),
    ("journey_save_answers", "Save the answers"),
    ("journey_answers_saved", "Your answers are saved and the checklist is updated."),
    ("journey_self_declared", "Self-declared"),
    ("journey_based_on_you", "Applies because you said:"),
    ("offer_up_to", "up to"),
    ("offer_rule_change", "New because the rules changed"),
];

const DA: &[(&str, &str)] = &[
    ("skip_to_content", "Gå til hovedindhold"),
    ("tagline", "Hele den offentlige sektor samlet ét sted"),
    ("language", "Sprog"),
    ("log_in", "Log ind"),
    ("log_out", "Log ud"),
    (
        "landing_title",
        "Alt hvad det offentlige har med dig at gøre, ét sted",
    ),
    (
        "landing_lead",
        "Se sager, frister, udbetalinger og beskeder fra alle offentlige myndigheder samlet.",
    ),
    ("landing_cta", "Log ind for at se dit overblik"),
    ("login_title", "Log ind"),
    ("overview_title", "Mit overblik"),
    ("todo", "Det bør du se på"),
    ("todo_overdue", "Overskredne frister"),
    ("todo_waiting", "Sager der venter på dig"),
    ("todo_unread", "Ulæste beskeder"),
    ("todo_nothing", "Intet venter på dig lige nu."),
    ("logged_in_as", "Logget ind som"),
    ("deadlines", "Frister"),
    ("no_deadlines", "Du har ingen frister."),
    ("deadline_what", "Hvad"),
    ("from_agency", "Fra"),
    ("overdue", "Fristen er overskredet"),
    ("cases", "Sager"),
    ("open_cases", "Åbne sager"),
    ("closed_cases", "Afsluttede sager"),
    ("no_cases", "Du har ingen sager."),
    ("benefits", "Ydelser og udbetalinger"),
    ("no_benefits", "Du har ingen løbende ydelser."),
    ("benefit_name", "Ydelse"),
    ("next_payment", "Næste udbetaling"),
    ("messages", "Beskeder"),
    ("no_messages", "Du har ingen beskeder."),
    ("unread", "Ulæst"),
    ("back_to_overview", "Tilbage til overblikket"),
    ("calendar", "Kalender"),
    // Life events and rules as code (issue 5): the journey, checklist, offer and rules pages.
    ("deadline_due", "Frist"),
    ("fs_yes", "Ja"),
    ("fs_no", "Nej"),
    ("rules_title", "Prøv reglen"),
    ("rules_lead", "Se hvad reglerne giver en husstand, og hvorfor: hvilke betingelser der er opfyldt, hvilke satser og oplysninger der er brugt, og hvilken paragraf. Intet af det, du skriver her, bliver gemt."),
    ("rules_period", "Måned (ÅÅÅÅ-MM)"),
    ("rules_period_help", "For eksempel 2024-09."),
    ("rules_household", "Husstanden (JSON)"),
    ("rules_household_help", "Én linje pr. person med rolle (parent eller child), fødselsdato og årsindkomst. Brug opdigtede personer."),
    ("rules_explain", "Forklar"),
    ("rules_error", "Kunne ikke beregne"),
    ("rules_result", "Resultat og begrundelse (på norsk)"),
    ("rules_trace", "Sporing til maskiner (JSON)"),
    ("rules_not_json", "Husstanden er ikke gyldig JSON"),
    ("journeys", "Livsbegivenheder"),
    ("no_journeys", "Du har ingen livsbegivenheder med opgaver lige nu."),
    ("journey_event_date", "Dato for begivenheden"),
    ("journey_tasks_done", "opgaver udført"),
    ("journey_done", "Udført"),
    ("journey_todo", "Ikke udført"),
    ("journey_may_apply", "Kan gælde dig"),
    ("journey_by_agency", "Myndigheden gør dette"),
    ("journey_by_you", "Du gør dette"),
    ("journey_go_to", "Gå til"),
    ("journey_mark_done", "Markér som udført"),
    ("journey_marked_done", "Opgaven er markeret som udført."),
    ("offers", "Det kan du have ret til"),
    ("offer_may_be_entitled", "Du kan have ret til"),
    ("offer_per_month", "om måneden"),
    ("offer_why", "Hvorfor?"),
    ("offer_apply", "Søg eller læs mere"),
    ("journey_questions", "Spørgsmål kun du kan svare på"),
    ("journey_questions_lead", "Intet register ved dette. Dine svar afgør, hvilke opgaver der gælder dig, og vises som egenerklæret. Opgaver, du har udført, bliver stående."),
    ("journey_not_sure", "Ved ikke endnu"),
    ("journey_save_answers", "Gem svarene"),
    ("journey_answers_saved", "Dine svar er gemt, og tjeklisten er opdateret."),
    ("journey_self_declared", "Egenerklæret"),
    ("journey_based_on_you", "Gælder, fordi du har oplyst:"),
    ("offer_up_to", "op til"),
    ("offer_rule_change", "Nyt, fordi reglerne er ændret"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_english_key_exists_in_bokmal_and_back() {
        let nb: Vec<_> = NB.iter().map(|(k, _)| *k).collect();
        let en: Vec<_> = EN.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            nb, en,
            "bokmål and English must have the same keys in the same order"
        );
        assert!(DA.iter().all(|(k, _)| nb.contains(k)));
    }

    #[test]
    fn formats_like_people_write() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap_or_default();
        assert_eq!(Lang::Nb.date(d), "1. mars 2026");
        assert_eq!(Lang::En.date(d), "1 March 2026");
        assert_eq!(Lang::Nb.money("1766.00", "NOK"), "1\u{a0}766,00\u{a0}kr");
        assert_eq!(Lang::En.money("1234567.50", "NOK"), "NOK\u{a0}1,234,567.50");
    }

    #[test]
    fn accept_language_picks_english() {
        let mut h = HeaderMap::new();
        h.insert(
            axum::http::header::ACCEPT_LANGUAGE,
            "en-GB,en;q=0.9"
                .parse()
                .unwrap_or(axum::http::HeaderValue::from_static("")),
        );
        assert_eq!(Lang::from_request(&h), Lang::En);
        assert_eq!(Lang::from_request(&HeaderMap::new()), Lang::Nb);
    }
}
