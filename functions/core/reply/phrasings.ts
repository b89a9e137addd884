import type { Language, ReplyKind } from "../vocabulary.ts";

/**
 * The built-in phrasings: the paragraph between the greeting and the closing of a reply. The
 * composer adds the greeting ("Hi {firstName},") and the closing and signature around it, so an
 * owner's own phrasing (settings.replies) is written the same way: just the paragraph.
 *
 * Written to the rulebook's "How a good decline reads": thanks first, a person's voice, never the
 * rule, a count or the category. Spanish, French and German use the formal address (usted, vous,
 * Sie) and avoid words whose form depends on the writer's gender (désolé/désolée, sincero/a).
 * German phrasings start in lower case because they follow "Hallo Anna," on the line above.
 * French ones use plain spaces before ; : ? ! and inside « »; the composer makes them
 * non-breaking.
 */
export type PhrasingTable = Readonly<
  Record<ReplyKind, Readonly<Record<Language, readonly string[]>>>
>;

export const builtInPhrasings: PhrasingTable = {
  frequency: {
    en: [
      "Thank you so much for {invitation} — it's really kind of you to think of me. Unfortunately {partner} and I already have something planned {thatTime}, so I'll have to miss this one. Could we find another time soon? I'd love to catch up.",
      "Thanks so much for {invitation}; how kind of you to think of me. I'm sorry to say {partner} and I have something {thatTime} that we can't move. I hope it's a wonderful time, and let's get together another time soon.",
      "Thank you for {invitation} — it sounds lovely. Sadly I can't make it: {partner} and I have a family commitment {thatTime}. I hope you'll give me a rain check, and that we can get together another time soon.",
      "Thanks very much for {invitation}; I really appreciate you including me. I'm afraid {partner} and I already have plans {thatTime}. I'm sorry to miss it — let's set something up for another time soon.",
    ],
    es: [
      "Muchísimas gracias por {invitation}; es todo un detalle que haya pensado en mí. Por desgracia, {partner} y yo ya tenemos un compromiso {thatTime}, así que en esta ocasión no podré ir. ¿Lo dejamos para otra ocasión pronto? Me encantaría.",
      "Gracias por {invitation}, de verdad se lo agradezco. Lamentablemente, {partner} y yo tenemos algo {thatTime} que no podemos cambiar. Espero que lo pasen muy bien, y ojalá podamos vernos en otra ocasión muy pronto.",
      "Muchas gracias por {invitation}, qué amable. Me temo que no podré ir: {partner} y yo tenemos un compromiso familiar {thatTime}. Cuente conmigo para otra ocasión pronto; me hará mucha ilusión.",
      "Le agradezco mucho {invitation}. Siento decirle que {partner} y yo ya tenemos planes {thatTime} y me sabe mal perdérmelo. ¿Buscamos otro momento pronto?",
    ],
    fr: [
      "Merci beaucoup pour {invitation}, c'est très gentil d'avoir pensé à moi. Malheureusement, {partner} et moi avons déjà quelque chose de prévu {thatTime}, je ne pourrai donc pas me joindre à vous. Remettons cela à une autre fois, très bientôt j'espère !",
      "Merci pour {invitation}, j'y suis très sensible. Hélas, {partner} et moi avons déjà un engagement {thatTime}. Je le regrette sincèrement ; ce sera avec plaisir une autre fois, très bientôt.",
      "Un grand merci pour {invitation}. Je ne pourrai malheureusement pas être des vôtres : {partner} et moi avons un engagement familial {thatTime}. J'espère que nous trouverons une autre occasion bientôt.",
      "Merci infiniment pour {invitation}, cela me touche beaucoup. Je regrette de devoir décliner : {partner} et moi avons déjà prévu autre chose {thatTime}. Faisons cela une autre fois, bientôt ?",
    ],
    de: [
      "vielen Dank für {invitation} – es freut mich sehr, dass Sie an mich gedacht haben. Leider haben {partner} und ich {thatTime} schon etwas vor, deshalb muss ich diesmal absagen. Lassen Sie uns bald einen anderen Termin finden!",
      "herzlichen Dank für {invitation}, das ist sehr aufmerksam von Ihnen. Leider sind {partner} und ich {thatTime} schon verplant. Ich hoffe, wir holen das bald nach – ich würde mich sehr freuen.",
      "vielen Dank für {invitation}! Leider kann ich nicht dabei sein, denn {partner} und ich haben {thatTime} eine familiäre Verpflichtung. Gern ein andermal, hoffentlich schon bald.",
      "ich danke Ihnen sehr für {invitation}. Es tut mir leid, aber {partner} und ich haben {thatTime} bereits Pläne. Vielleicht klappt es ja bald zu einem anderen Zeitpunkt – ich würde mich freuen.",
    ],
  },
  home_visit: {
    en: [
      "Thank you so much for {invitation} — that's a really generous offer. I won't be able to make it, but I'd love to see you: could I take you to lunch instead sometime soon?",
      "Thank you for {invitation}; it's very kind of you to open your home to me. I can't make it, but how about coffee or lunch somewhere near your office instead? My treat.",
      "Thank you for {invitation} — I'm touched you thought of me. Unfortunately I can't come, but I'd really like to get together. Would you let me take you out for lunch one day soon?",
      "Many thanks for {invitation}; that's very thoughtful of you. I'm not able to come, I'm afraid, but let's meet out instead — a coffee or a relaxed lunch would be lovely, whenever suits you.",
    ],
    es: [
      "Muchísimas gracias por {invitation}; es un gesto muy generoso. No podré ir, pero me encantaría verle: ¿me permite invitarle a comer en las próximas semanas?",
      "Gracias de corazón por {invitation}; es muy amable abrirme las puertas de su casa. No me va a ser posible ir, pero ¿qué le parece si tomamos un café o comemos juntos cerca de su oficina? Invito yo.",
      "Le agradezco mucho {invitation}; me alegra que haya pensado en mí. Por desgracia no podré ir, pero me gustaría mucho que nos viéramos. ¿Le apetece que comamos juntos un día de estos?",
      "Mil gracias por {invitation}, es todo un detalle. Me temo que no podré ir, pero le propongo que quedemos fuera: un café o una comida tranquila, cuando mejor le venga.",
    ],
    fr: [
      "Merci beaucoup pour {invitation}, c'est une attention très généreuse. Je ne pourrai pas venir, mais j'aimerais beaucoup vous voir : me permettez-vous de vous inviter à déjeuner dans les semaines qui viennent ?",
      "Merci de tout cœur pour {invitation}, c'est très aimable de m'ouvrir votre porte. Cela ne me sera pas possible, mais que diriez-vous d'un café ou d'un déjeuner près de votre bureau ? C'est moi qui invite.",
      "Je vous remercie chaleureusement pour {invitation}, cela me touche que vous ayez pensé à moi. Malheureusement, je ne pourrai pas venir, mais j'aimerais beaucoup que l'on se voie. Accepteriez-vous un déjeuner un de ces jours ?",
      "Mille mercis pour {invitation}, c'est une très belle attention. Je crains de ne pas pouvoir venir, mais retrouvons-nous plutôt à l'extérieur : un café ou un déjeuner tranquille, quand cela vous convient.",
    ],
    de: [
      "vielen Dank für {invitation} – das ist eine sehr großzügige Geste. Ich werde leider nicht kommen können, würde Sie aber sehr gern sehen: Darf ich Sie stattdessen in den nächsten Wochen zum Mittagessen einladen?",
      "herzlichen Dank für {invitation}; es ist sehr freundlich, dass Sie mich zu sich nach Hause einladen. Es wird mir leider nicht möglich sein, aber wie wäre es mit einem Kaffee oder einem Mittagessen in der Nähe Ihres Büros? Die Einladung geht auf mich.",
      "ich danke Ihnen sehr für {invitation}, das freut mich wirklich. Leider kann ich nicht kommen, würde mich aber gern mit Ihnen treffen. Hätten Sie Lust, demnächst mit mir zu Mittag zu essen?",
      "tausend Dank für {invitation}, eine schöne Geste. Ich fürchte, ich kann nicht kommen – lassen Sie uns doch stattdessen auswärts treffen: auf einen Kaffee oder ein entspanntes Mittagessen, wann immer es Ihnen passt.",
    ],
  },
  objectionable: {
    en: [
      "Thank you for {invitation} — I appreciate you thinking of me. I'll be honest with you: that sort of thing isn't really for me, so please don't feel you need to include me in ones like it. I'd love to take you to lunch instead, though; just say when.",
      "Thanks so much for {invitation}; it's kind of you to include me. I'm going to bow out of this one and others like it — it's simply not my kind of thing. I'd much rather take you to lunch instead, and I mean that.",
      "Thank you for {invitation}. I hope you won't mind me saying that it's not really my scene, so I'll leave those to others — but I value our time together, and I'd love to take you to lunch instead. Would a day in the coming weeks work?",
      "Many thanks for {invitation}, and for thinking of me. That kind of event isn't for me, so I'll gracefully bow out of those for good. I would genuinely enjoy taking you to lunch instead — my treat, whenever you're free.",
    ],
    es: [
      "Gracias por {invitation}; le agradezco que haya pensado en mí. Con toda franqueza, ese tipo de planes no va conmigo, así que prefiero que no cuente conmigo para ellos. Eso sí, me encantaría invitarle a comer: dígame cuándo le viene bien.",
      "Muchas gracias por {invitation}, es muy amable incluirme. Prefiero quedarme al margen de este tipo de encuentros; sencillamente no son lo mío. Pero me haría mucha ilusión invitarle a comer en su lugar, de verdad.",
      "Le agradezco mucho {invitation}. Espero que no le importe que le diga que no es mi estilo de plan, así que esos se los dejo a otros. Valoro mucho nuestra relación y me encantaría invitarle a comer. ¿Le vendría bien algún día de las próximas semanas?",
      "Mil gracias por {invitation} y por acordarse de mí. Ese tipo de eventos no es para mí, así que, con todo respeto, prefiero no participar en ellos. Lo que sí me apetecería de verdad es invitarle a comer, cuando tenga un hueco.",
    ],
    fr: [
      "Merci pour {invitation}, j'apprécie que vous ayez pensé à moi. Très franchement, ce genre de chose n'est pas pour moi, et je préfère m'en tenir à l'écart. En revanche, j'aimerais beaucoup vous inviter à déjeuner : dites-moi simplement quand.",
      "Merci beaucoup pour {invitation}, c'est gentil de m'inclure. Je vais décliner celle-ci et celles du même genre : ce n'est tout simplement pas ma tasse de thé. J'aurais en revanche grand plaisir à vous inviter à déjeuner, sincèrement.",
      "Je vous remercie pour {invitation}. J'espère que vous ne m'en voudrez pas de vous dire que ce type d'activité n'est pas vraiment pour moi ; je laisse volontiers ma place. Notre relation compte beaucoup pour moi, et j'aimerais beaucoup vous inviter à déjeuner. Un jour des semaines à venir vous conviendrait-il ?",
      "Mille mercis pour {invitation} et d'avoir pensé à moi. Ce genre d'événement n'est pas pour moi, et je préfère m'abstenir désormais. Ce qui me ferait vraiment plaisir, c'est de vous inviter à déjeuner, quand vous le souhaitez.",
    ],
    de: [
      "vielen Dank für {invitation}, ich weiß es zu schätzen, dass Sie an mich gedacht haben. Ganz offen: So etwas ist nicht mein Fall, deshalb verzichte ich darauf lieber ganz. Sehr gern würde ich Sie aber stattdessen zum Mittagessen einladen – sagen Sie einfach, wann es Ihnen passt.",
      "herzlichen Dank für {invitation}, es ist nett, dass Sie mich einbeziehen. Bei dieser und ähnlichen Einladungen setze ich aber lieber aus – das ist einfach nichts für mich. Viel lieber würde ich Sie zum Mittagessen einladen, und das meine ich ernst.",
      "ich danke Ihnen für {invitation}. Ich hoffe, Sie nehmen es mir nicht übel, wenn ich sage, dass so etwas nicht ganz meine Welt ist; da lasse ich anderen gern den Vortritt. Unsere Zusammenarbeit liegt mir sehr am Herzen, und ich würde Sie gern zum Mittagessen einladen. Passt Ihnen ein Tag in den nächsten Wochen?",
      "tausend Dank für {invitation} und dafür, dass Sie an mich gedacht haben. Veranstaltungen dieser Art sind nichts für mich, daher halte ich mich da künftig heraus. Worüber ich mich aber wirklich freuen würde: Sie zum Mittagessen einzuladen, wann immer es Ihnen passt.",
    ],
  },
  romantic: {
    en: [
      "Thank you for {invitation} — I'm flattered, truly. I'd like to keep things between us professional, though, so I'll have to say no. I really value working with you and hope that's all right.",
      "Thank you for {invitation}; it's very kind of you. I hope you'll understand that I prefer to keep our relationship strictly professional, so I'm going to decline. I enjoy working with you very much, and I look forward to our next meeting.",
      "Thank you for {invitation}, it's a lovely gesture. To be kind and clear at once: I keep my working relationships professional, so my answer is no. I'm glad we work together and I'd like that to stay just as it is.",
      "Many thanks for {invitation} — I appreciate you asking. I'm going to say no, as I'd like us to stay on a professional footing. I hope this doesn't make anything awkward; I value our work together a great deal.",
    ],
    es: [
      "Gracias por {invitation}; me halaga sinceramente. Aun así, prefiero que nuestra relación siga siendo estrictamente profesional, así que debo decirle que no. Valoro mucho trabajar con usted y espero que lo entienda.",
      "Muchas gracias por {invitation}, es muy amable de su parte. Espero que comprenda que prefiero mantener nuestro trato en el plano profesional, por lo que voy a declinarla. Disfruto mucho trabajando con usted y espero con interés nuestra próxima reunión.",
      "Le agradezco {invitation}, es un gesto muy bonito. Se lo digo con aprecio y con claridad: prefiero que nuestra relación se mantenga en lo profesional, así que mi respuesta es no. Me alegra mucho que trabajemos juntos y me gustaría que todo siguiera igual.",
      "Mil gracias por {invitation} y por preguntar. Voy a decir que no, porque prefiero que sigamos en un terreno profesional. Espero que esto no resulte incómodo; valoro muchísimo nuestra colaboración.",
    ],
    fr: [
      "Merci pour {invitation}, cela me touche sincèrement. Je préfère toutefois que nos relations restent strictement professionnelles, et je vais donc décliner. Je tiens beaucoup à notre collaboration et j'espère que vous le comprendrez.",
      "Merci beaucoup pour {invitation}, c'est très aimable à vous. J'espère que vous comprendrez que je souhaite garder nos échanges sur un plan professionnel ; je vais donc dire non. J'apprécie vraiment de travailler avec vous et je me réjouis de notre prochaine réunion.",
      "Je vous remercie pour {invitation}, c'est une belle attention. Je vous le dis avec bienveillance et clarté : je tiens à ce que notre relation reste professionnelle, ma réponse est donc non. Je me réjouis de travailler avec vous et je souhaite que cela continue ainsi.",
      "Mille mercis pour {invitation} et pour votre demande. Je vais décliner, car je préfère que nous restions sur un terrain professionnel. J'espère que cela ne créera aucune gêne ; notre collaboration compte beaucoup pour moi.",
    ],
    de: [
      "vielen Dank für {invitation} – das ehrt mich wirklich. Ich möchte unser Verhältnis aber gern rein beruflich halten, deshalb muss ich absagen. Ich schätze die Zusammenarbeit mit Ihnen sehr und hoffe, Sie verstehen das.",
      "herzlichen Dank für {invitation}, das ist sehr nett von Ihnen. Ich hoffe, Sie haben Verständnis dafür, dass ich unseren Kontakt auf der beruflichen Ebene belassen möchte; deshalb sage ich ab. Ich arbeite sehr gern mit Ihnen und freue mich auf unser nächstes Gespräch.",
      "ich danke Ihnen für {invitation}, eine schöne Geste. Ich sage es freundlich, aber klar: Mir ist wichtig, dass unser Kontakt beruflich bleibt, daher lautet meine Antwort nein. Ich freue mich, dass wir zusammenarbeiten, und möchte, dass es dabei bleibt.",
      "tausend Dank für {invitation} und für Ihre Frage. Ich werde absagen, weil ich gern auf einer professionellen Ebene bleiben möchte. Ich hoffe, das ist nicht unangenehm für Sie – die Zusammenarbeit mit Ihnen bedeutet mir viel.",
    ],
  },
};

/** Greetings; `named` ones take {firstName}, `neutral` ones are used when no first name is known. */
export const greetings: Readonly<
  Record<Language, { readonly named: readonly string[]; readonly neutral: readonly string[] }>
> = {
  en: {
    named: ["Hi {firstName},", "Dear {firstName},", "Hello {firstName},"],
    neutral: ["Hi there,", "Hello,"],
  },
  es: {
    named: ["Hola, {firstName}:", "Buenos días, {firstName}:"],
    neutral: ["Hola:", "Buenos días:"],
  },
  fr: { named: ["Bonjour {firstName},"], neutral: ["Bonjour,"] },
  de: {
    named: ["Hallo {firstName},", "Guten Tag {firstName},"],
    neutral: ["Guten Tag,", "Hallo,"],
  },
};

/** Closings, above the owner's name. German closings take no comma. */
export const closings: Readonly<Record<Language, readonly string[]>> = {
  en: ["Warm regards,", "All the best,", "Best wishes,", "Kind regards,"],
  es: ["Un saludo cordial,", "Saludos cordiales,", "Un cordial saludo,"],
  fr: ["Bien cordialement,", "Très cordialement,", "Bien à vous,"],
  de: ["Viele Grüße", "Herzliche Grüße", "Beste Grüße", "Freundliche Grüße"],
};
