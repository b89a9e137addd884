import type { Child } from "hono/jsx";
import type { FieldErrors, FormFields } from "../settings-form.ts";

/** What every field needs: its name (also its id), label, one-line hint and the form state. */
export interface FieldProps {
  name: string;
  label: Child;
  hint?: Child;
  fields: FormFields;
  errors: FieldErrors;
}

function describedBy(name: string, hint: boolean, error: boolean): string | undefined {
  const ids = [hint ? `${name}-hint` : null, error ? `${name}-error` : null].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

/** What every form control carries: its id and name, and its link to the hint and errors. */
function controlAttributes(props: FieldProps) {
  const invalid = Boolean(props.errors[props.name]);
  return {
    id: props.name,
    name: props.name,
    "aria-invalid": invalid ? ("true" as const) : undefined,
    "aria-describedby": describedBy(props.name, Boolean(props.hint), invalid),
  };
}

function Messages(props: { name: string; messages: string[] | undefined }) {
  const { messages } = props;
  if (!messages || messages.length === 0) return null;
  return (
    <div id={`${props.name}-error`}>
      {messages.map((message) => (
        <p class="error">
          <span class="visually-hidden">Error: </span>
          {message}
        </p>
      ))}
    </div>
  );
}

/** A field's label, its hint and its error messages, with the ids its control points to. */
function Described(props: FieldProps) {
  return (
    <>
      <label for={props.name}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${props.name}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <Messages name={props.name} messages={props.errors[props.name]} />
    </>
  );
}

function Frame(props: FieldProps & { control: Child }) {
  const messages = props.errors[props.name];
  return (
    <div class={messages ? "field invalid" : "field"}>
      <Described {...props} />
      {props.control}
    </div>
  );
}

export function TextField(
  props: FieldProps & {
    type?: "text" | "email" | "search";
    autocomplete?: string;
    maxlength?: number;
    required?: boolean;
  },
) {
  return (
    <Frame
      {...props}
      control={
        <input
          type={props.type ?? "text"}
          {...controlAttributes(props)}
          value={props.fields[props.name] ?? ""}
          autocomplete={props.autocomplete ?? "off"}
          maxlength={props.maxlength}
          required={props.required}
        />
      }
    />
  );
}

export function NumberField(
  props: FieldProps & { min?: number; max?: number; step?: number | "any" },
) {
  return (
    <Frame
      {...props}
      control={
        // type=text + inputmode keeps what was typed (a browser drops a non-number from a
        // type=number field), so the server can say what was wrong with it.
        <input
          type="text"
          inputmode={props.step === "any" ? "decimal" : "numeric"}
          {...controlAttributes(props)}
          value={props.fields[props.name] ?? ""}
          class="number"
          size={8}
        />
      }
    />
  );
}

export function TextArea(props: FieldProps & { rows?: number; tall?: boolean }) {
  return (
    <Frame
      {...props}
      control={
        <textarea
          {...controlAttributes(props)}
          rows={props.rows ?? 4}
          class={props.tall ? "tall" : undefined}
        >
          {props.fields[props.name] ?? ""}
        </textarea>
      }
    />
  );
}

export function SelectField(
  props: FieldProps & { options: readonly { value: string; label: string }[] },
) {
  const selected = props.fields[props.name] ?? "";
  return (
    <Frame
      {...props}
      control={
        <select {...controlAttributes(props)}>
          {props.options.map((option) => (
            <option value={option.value} selected={option.value === selected}>
              {option.label}
            </option>
          ))}
        </select>
      }
    />
  );
}

export function Checkbox(props: FieldProps) {
  return (
    <div class="check">
      <input
        type="checkbox"
        {...controlAttributes(props)}
        checked={props.fields[props.name] === "on"}
      />
      <div>
        <Described {...props} />
      </div>
    </div>
  );
}

/** Lists every problem at the top, each linking to its field; focused first when the page loads. */
export function ErrorSummary(props: { errors: FieldErrors; labels: Record<string, string> }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1} autofocus>
      <h2>Nothing was saved: please fix {entries.length === 1 ? "this" : "these"}</h2>
      <ul>
        {entries.map(([name, messages]) => (
          <li>
            <a href={`#${name}`}>
              {props.labels[name] ?? name}: {messages.join("; ")}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
