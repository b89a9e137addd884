import { ACTION_LABELS, CATEGORY_LABELS } from "../../core/summary/index.ts";
import { ACTIONS, CATEGORIES, type Category } from "../../core/vocabulary.ts";
import {
  Checkbox,
  ErrorSummary,
  NumberField,
  SelectField,
  TextArea,
  TextField,
} from "../components/fields.tsx";
import { FormToken, Layout, Notice } from "../components/layout.tsx";
import { RULE_SWITCHES, type RuleSwitch, type SwitchGroup } from "../rule-switches.ts";
import { type FieldErrors, type FormFields, overrideField, ruleField } from "../settings-form.ts";
import type { AuthState } from "../types.ts";

/** The rulebook's default per category, and the etiquette rule behind it. */
const DEFAULTS: Record<Category, string> = {
  not_invitation: "nothing to do",
  business_meeting: "nothing to do",
  meal_or_drinks: "accept; decline when frequent (rule 4)",
  outing: "accept; decline when frequent (rule 4)",
  home_visit: "decline until the relationship is established (rule 2)",
  family_function: "accept and attend; never declined (rule 3)",
  objectionable: "decline firmly (rule 4)",
  romantic: "decline firmly, kindly (when business turns romantic)",
  travel: "accept, and treat it as work (rule 5)",
  social_personal: "ignore: keep clients off personal accounts (rule 1)",
  social_professional: "accept (rule 1)",
};

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

const GROUP_TITLES: Record<SwitchGroup, string> = {
  policy: "Decisions",
  invitation: "Recognising an invitation",
  context: "Telling past, declined and answered invitations apart",
  not_invitation: "Ordinary mail",
  business_meeting: "Business meetings",
  meal_or_drinks: "Meals and drinks",
  outing: "Outings",
  home_visit: "Home visits",
  family_function: "Family functions",
  objectionable: "Objectionable invitations",
  romantic: "Romantic invitations",
  travel: "Travel",
  social_personal: "Personal social networks",
  social_professional: "Professional networks",
};

/** Field labels, also used by the error summary. */
export const SETTINGS_LABELS: Record<string, string> = {
  "owner.name": "Your name",
  "owner.signature": "Signature",
  "owner.partnerWord": "Word for your partner",
  timeZone: "Time zone",
  "summary.weekday": "Summary day",
  "summary.hour": "Summary hour",
  "summary.sendWhenEmpty": "Send the summary on quiet weeks",
  "clients.domains": "Client domains",
  "clients.addresses": "Client addresses",
  "clients.consumerDomains": "More personal-mail domains",
  "clients.established": "Established relationships",
  "clients.establishedAfterDays": "Established after (days)",
  "frequency.threshold": "Decline the n-th invitation",
  "frequency.windowDays": "Within (days)",
  reviewBelow: "Ask me below this confidence",
  dryRun: "Dry run",
  paused: "Pause Decorum",
  retentionDays: "Keep records for (days)",
  rules: "Rule switches",
  ...Object.fromEntries(
    CATEGORIES.map((category) => [overrideField(category), `${CATEGORY_LABELS[category]} action`]),
  ),
};

function zones(current: string): { value: string; label: string }[] {
  const all = new Set(["UTC", ...Intl.supportedValuesOf("timeZone")]);
  if (current) all.add(current);
  return [...all].map((zone) => ({ value: zone, label: zone.replaceAll("_", " ") }));
}

export function SettingsPage(props: {
  auth: AuthState;
  fields: FormFields;
  errors: FieldErrors;
  saved: boolean;
}) {
  const { auth, fields, errors } = props;
  const common = { fields, errors };
  const groups = new Map<SwitchGroup, RuleSwitch[]>();
  for (const rule of RULE_SWITCHES) {
    const list = groups.get(rule.group) ?? [];
    list.push(rule);
    groups.set(rule.group, list);
  }
  return (
    <Layout title="Settings" current="/settings" auth={auth}>
      <h1>Settings</h1>
      <p class="lead">
        Each setting tunes one of your etiquette rules. Nothing is saved until every field is valid.
      </p>
      {props.saved ? <Notice kind="ok">Your settings are saved.</Notice> : null}
      <ErrorSummary errors={errors} labels={SETTINGS_LABELS} />
      <form method="post" action="/settings" novalidate>
        <FormToken auth={auth} />

        <fieldset>
          <legend>You</legend>
          <TextField
            {...common}
            name="owner.name"
            label="Your name"
            hint="Signs every reply Decorum drafts (how a good decline reads)."
            autocomplete="name"
            maxlength={100}
          />
          <TextArea
            {...common}
            name="owner.signature"
            label="Signature"
            hint="Lines under your name in drafted replies, such as your title and firm."
          />
          <TextField
            {...common}
            name="owner.partnerWord"
            label="Word for your partner"
            hint="Used in soft excuses, “my partner and I have something that evening” (rule 4)."
            maxlength={40}
          />
        </fieldset>

        <fieldset>
          <legend>Time and weekly summary</legend>
          <SelectField
            {...common}
            name="timeZone"
            label="Time zone"
            hint="Decides what counts as an evening or weekend invitation, and when the summary goes out."
            options={zones(fields.timeZone ?? "")}
          />
          <SelectField
            {...common}
            name="summary.weekday"
            label="Summary day"
            hint="The day the weekly summary of invitations and drafts reaches you."
            options={WEEKDAYS.map((day, i) => ({ value: String(i + 1), label: day }))}
          />
          <SelectField
            {...common}
            name="summary.hour"
            label="Summary hour"
            hint="The hour, in your time zone, the summary is sent."
            options={Array.from({ length: 24 }, (_, hour) => ({
              value: String(hour),
              label: `${String(hour).padStart(2, "0")}:00`,
            }))}
          />
          <Checkbox
            {...common}
            name="summary.sendWhenEmpty"
            label="Send the summary on quiet weeks too"
            hint="A short “nothing happened” note confirms Decorum is still watching."
          />
        </fieldset>

        <fieldset>
          <legend>Who counts as a client</legend>
          <TextArea
            {...common}
            name="clients.domains"
            label="Client domains"
            hint="One per line, e.g. client.example. Empty: every sender outside personal-mail domains is a client."
          />
          <TextArea
            {...common}
            name="clients.addresses"
            label="Client addresses"
            hint="One per line: clients who write from personal mail, each counted on their own."
          />
          <TextArea
            {...common}
            name="clients.consumerDomains"
            label="More personal-mail domains"
            hint="Domains (beyond gmail.com, outlook.com…) where each address is its own client."
          />
          <TextArea
            {...common}
            name="clients.established"
            label="Established relationships"
            hint="Client domains or addresses you know well: home visits may be accepted (rule 2)."
          />
          <NumberField
            {...common}
            name="clients.establishedAfterDays"
            label="Established after (days)"
            hint="A client you have corresponded with this long counts as established (rule 2); 0 turns this off."
          />
        </fieldset>

        <fieldset>
          <legend>Frequent invitations</legend>
          <NumberField
            {...common}
            name="frequency.threshold"
            label="Decline the n-th invitation"
            hint="The n-th meal, drink, outing or home visit from one client within the window is declined politely (rule 4). 2 to 20."
          />
          <NumberField
            {...common}
            name="frequency.windowDays"
            label="Within (days)"
            hint="The window rule 4 counts invitations in. 1 to 90 days."
          />
        </fieldset>

        <fieldset>
          <legend>Action per category</legend>
          <p class="hint">
            Replace the rulebook’s default for a kind of invitation. Family functions are never
            declined (rule 3), whatever is chosen here.
          </p>
          {CATEGORIES.filter((c) => c !== "not_invitation" && c !== "business_meeting").map(
            (category) => (
              <SelectField
                {...common}
                name={overrideField(category)}
                label={CATEGORY_LABELS[category]}
                hint={`Default: ${DEFAULTS[category]}.`}
                options={[
                  { value: "", label: "Use the default" },
                  ...ACTIONS.filter((a) => a !== "none").map((action) => ({
                    value: action,
                    label: ACTION_LABELS[action],
                  })),
                ]}
              />
            ),
          )}
        </fieldset>

        <fieldset>
          <legend>How careful Decorum is</legend>
          <NumberField
            {...common}
            name="reviewBelow"
            label="Ask me below this confidence"
            step="any"
            hint="Between 0 and 1. Below it Decorum leaves the invitation to you and drafts nothing: it never declines on a guess."
          />
          <Checkbox
            {...common}
            name="dryRun"
            label="Dry run"
            hint="Record decisions and show them here, but write no drafts in Gmail."
          />
          <Checkbox
            {...common}
            name="paused"
            label="Pause Decorum"
            hint="Do nothing at all for this account until you turn this off."
          />
          <NumberField
            {...common}
            name="retentionDays"
            label="Keep records for (days)"
            hint="Invitation records are deleted after this many days (30 to 3650). Frequency counts (rule 4) need at least the window."
          />
        </fieldset>

        <fieldset class="switches">
          <legend>Rule switches</legend>
          <p class="hint">
            Untick a rule to switch it off: it then never fires. Each line says what it notices and
            which etiquette rule it serves.
          </p>
          {errors.rules ? <p class="error">{errors.rules.join("; ")}</p> : null}
          {[...groups].map(([group, rules]) => (
            <details open={group === "policy"}>
              <summary>
                {GROUP_TITLES[group]} ({rules.length})
              </summary>
              {rules.map((rule) => (
                <div class="check">
                  <input
                    type="checkbox"
                    id={ruleField(rule.id)}
                    name={ruleField(rule.id)}
                    checked={fields[ruleField(rule.id)] === "on"}
                  />
                  <label for={ruleField(rule.id)}>
                    <code>{rule.id}</code> — {rule.explanation} ({rule.serves})
                  </label>
                </div>
              ))}
            </details>
          ))}
        </fieldset>

        <div class="actions">
          <button type="submit">Save settings</button>
          <a class="button secondary" href="/settings">
            Discard changes
          </a>
        </div>
      </form>
    </Layout>
  );
}
