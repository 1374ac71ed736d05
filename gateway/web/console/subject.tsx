/** The subject fields of a form: an enterprise by USCC or a person by identity number. */
import { label, useConsole } from './context.js';
import { RadioGroup, TextField } from './components.js';

/** What the subject fields hold. */
export interface SubjectValue {
  kind: 'enterprise' | 'person';
  id: string;
}

/** The subject as the API takes it. */
export function subjectBody(v: SubjectValue): { kind: 'enterprise'; uscc: string } | { kind: 'person'; idNumber: string } {
  return v.kind === 'enterprise' ? { kind: 'enterprise', uscc: v.id.trim() } : { kind: 'person', idNumber: v.id.trim() };
}

/** Subject kind and identifier, labelled. */
export function SubjectFields(p: { prefix: string; value: SubjectValue; onInput(v: SubjectValue): void; error: string | undefined }) {
  const { lang } = useConsole();
  return (
    <div class="subject-fields">
      <RadioGroup
        id={`${p.prefix}-subject-kind`}
        legend={label(lang, 'subjectKind')}
        value={p.value.kind}
        onInput={(kind) => p.onInput({ ...p.value, kind: kind as SubjectValue['kind'] })}
        options={[
          { value: 'enterprise', label: label(lang, 'enterprise') },
          { value: 'person', label: label(lang, 'person') },
        ]}
      />
      <TextField
        id={`${p.prefix}-subject-id`}
        label={label(lang, p.value.kind === 'enterprise' ? 'uscc' : 'idNumber')}
        hint={label(lang, p.value.kind === 'enterprise' ? 'usccHint' : 'idNumberHint')}
        value={p.value.id}
        onInput={(id) => p.onInput({ ...p.value, id })}
        error={p.error}
        required
        mono
      />
    </div>
  );
}
