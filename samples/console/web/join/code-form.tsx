import { useEffect, useRef, useState } from 'preact/hooks';
import { codeOf, type JoinProblem, type JoinRequest } from './join-api.js';

interface CodeFormProps {
  readonly initial: { readonly code: string; readonly name: string };
  readonly problem: JoinProblem | undefined;
  readonly onContinue: (request: JoinRequest) => void;
}

/** The first step: the six-digit code the technician gave, and the end user's name. */
export function CodeForm({ initial, problem, onContinue }: CodeFormProps) {
  const [code, setCode] = useState(initial.code);
  const [name, setName] = useState(initial.name);
  const [mistake, setMistake] = useState<JoinProblem | undefined>(problem);
  const codeInput = useRef<HTMLInputElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const first = mistake?.field !== 'code' && initial.code !== '' ? nameInput : codeInput;
    first.current?.focus();
  }, []);

  const submit = (event: Event) => {
    event.preventDefault();
    const digits = codeOf(code);
    if (digits === undefined) {
      setMistake({ field: 'code', text: 'The code has 6 digits, like 123456.' });
      return codeInput.current?.focus();
    }
    if (name.trim() === '') {
      setMistake({ field: 'form', text: 'Type your name, so your technician knows who you are.' });
      return nameInput.current?.focus();
    }
    onContinue({ code: digits, name: name.trim() });
  };

  const codeWrong = mistake?.field === 'code';
  return (
    <form class="card stack join-form" onSubmit={submit} noValidate>
      <h1>Join a support session</h1>
      <p class="muted">Enter the code your technician gave you.</p>
      <div>
        <label for="join-code">Session code</label>
        <input
          id="join-code"
          ref={codeInput}
          class="code-input"
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={9}
          placeholder="123456"
          value={code}
          aria-invalid={codeWrong}
          aria-describedby={codeWrong ? 'join-code-error' : undefined}
          onInput={(event) => setCode(event.currentTarget.value)}
        />
        {codeWrong && (
          <p id="join-code-error" class="error field-error" role="alert">
            {mistake.text}
          </p>
        )}
      </div>
      <div>
        <label for="join-name">Your name</label>
        <input
          id="join-name"
          ref={nameInput}
          class="name-input"
          autoComplete="name"
          maxLength={200}
          value={name}
          onInput={(event) => setName(event.currentTarget.value)}
        />
      </div>
      {mistake?.field === 'form' && (
        <p class="error" role="alert">
          {mistake.text}
        </p>
      )}
      <button type="submit" class="primary wide">
        Continue
      </button>
    </form>
  );
}
