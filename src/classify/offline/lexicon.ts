/**
 * Phrase lists behind the offline classifier. General vocabulary of contact-form traffic in the
 * languages we see most (en, fr, de, es, pt, it, nl, ja); the policy's own fit indicators and
 * disqualifiers are added at run time. Each entry is a regex source matched case-insensitively.
 */

/** Someone selling to us, or a scam. */
export const SPAM = [
  'seo', 'backlinks?', 'link building', 'guest posts?', 'do-?follow', 'high da', 'page 1', 'first page', 'rankings?',
  'outsourc\\w*', 'offshor\\w*', 'nearshore', 'dedicated ([\\w-]+ )?(developers|engineers|teams)', 'developers? (from|at|available)', '\\$\\d+ ?(/|per) ?(hour|hr|post|month)', '\\d+ ?/(hour|hr)', 'scale your team',
  'lead generation', 'qualified meetings', 'email list', 'attendee list', 'contacts with emails', 'intent data', 'sample list',
  'we (offer|provide|help|build|place|sell|guarantee|can get|can build|can redesign|are a manufacturer)', 'our (services|rate card)', '(see|check|view|attached|browse) (our|my) portfolio',
  'i (offer|will do|can fix|can manage|am a (virtual assistant|freelance\\w*|blockchain developer|google ads))',
  'affordable', 'cheap', 'limited slots', 'guaranteed?', '100% (safe|white hat)', 'free (audit|assessment|demo this week)', 'free ([\\w-]+ )?(audit|assessment|review|analysis) (of|for)', 'packages? (from|start)',
  'crypto', 'nft', 'passive income', 'trading bot', 'minimum deposit', '\\d+(-\\d+)?% (daily|per day|a day|every day)', 't\\.me/\\w+', 'casino', 'free spins', 'loans?', '(business|quick|fast|instant|guaranteed) funding', 'funding (offer|approved|available)', 'inheritance', 'bank details', 'verify your payment', 'will be suspended', 'expiring',
  'click (here|now)', 'bit\\.ly', 'followers', 'five-star', 'reviews for your', 'featured in', 'entry fee', 'shortlisted for', 'is available for purchase',
  'explainer video', 'redesign', 'outdated', 'rate card', 'referral commission', 'partnership opportunity', 'booking fee', 'directories',
  'staffing', 'recruitment ?(agency|bureau|agentur|firm)', 'wervingsbureau', 'uitzendbureau', 'detacher\\w*', 'agence de recrutement', 'agencia de (reclutamiento|selección)', 'agenzia di (reclutamento|selezione)', 'personalvermittlung', 'personaldienstleist\\w*', 'pre-vetted', 'manufacturer', 'best price', 'overdue invoice', 'legal action', 'unclaimed', 'reduce (aws|cloud) bills', 'your (aws|cloud|gcp|azure|hosting|infrastructure) (bill|spend)',
  'fill your webinars', 'registrants', 'translation', 'making money', 'standing desks', 'chatbot', 'who handles marketing',
  '(increase|boost|grow|double) your (sales|traffic|rankings?|revenue|leads)', 'your (website|homepage|site|blog)', 'we noticed', 'can we send you',
  "i'?ll send (you )?(pricing|samples|a proposal)", 'would you be interested in', 'decision makers', 'verified ([\\w-]+ ){0,2}(contacts|emails|leads|records|decision[- ]makers)', '(sample|list) of \\d[\\d,.]* (records|contacts|leads|emails)', 'b2b-?(kontakt|contact)\\w*', '(gerne )?senden wir (ihnen|dir)', 'monthly fee',
  'no credit check', 'get approved', 'special offer', 'bulk orders', '\\d+% (off|lower|cheaper)', 'lower cost', 'renew now', 'in advance',
  'sir/madam', 'dear sir', 'lorem ipsum', 'asdf', 'qwerty', '<script', 'drop table',
  // Outreach and scam families seen in contact forms, in their own words rather than their topics.
  'broken links?', 'more up-to-date (resource|article|guide)', '(updated|up-to-date|newer|fresher) (resource|article|guide)', 'link to (it|mine|ours) instead', '(you could|you can|to) link (to )?(it |mine |ours |that |this )?instead', 'sponsored (video|review|reel|story)', 'my rates?',
  'staff augmentation', 'vetted [\\w -]{0,30}(engineers|developers)', '\\d+% of (us|uk|eu|local) rates', 'let me introduce', 'introduce (you to )?our',
  'pre-?approved', 'working capital', 'merchant cash', 'crack(ed)?', 'keygen', 'free download', 'no prescription', 'meds', 'pharmacy',
  'next of kin', 'dear friend', 'barrister', 'beneficiary', 'proforma', 'advance payment', 'storage limit', 're-?validate', 'mailbox (is )?full',
  'request for quotation', 'supplier portal', 'submit your (best )?(quote|bid)', 'remit', 'service interruption', 'late fees', 'search engine registration',
  'telegram', 'wechat', 'whats ?app', 'телеграм\\w*', 'заработ\\w*', 'без вложений',
  'you have been (nominated|selected|shortlisted)', 'dear winner', 'nominated for', 'trophy', 'gala', 'award (package|fee|ceremony)',
  'card (ending|was declined)', 'payment failed', 'update (your )?(billing|payment)', 'within \\d+ ?h(ours|rs)?\\b', 'will be (deactivated|deleted|closed|suspended)',
  '(storage )?quota (exceeded|reached)', 'exceeded (its|your) (storage )?quota', 'wire \\$?\\d[\\d,.]*', 'bug bounty', 'bounty',
  'white-?label', 'you resell', 'under your (own )?brand',
  'replica', 'visit my (site|blog|website|page)', 'great (post|article|site)', "we'?d love to (give|show) you", '(tools|products|platforms|apps) like yours',
  'vendemos', 'enlaces', 'autoridad de dominio', 'domain authority',
  // ru, zh, de, it, fr: sellers and SEO offers
  'предлагаем', 'услуг\\w*', 'продвижени\\w*', 'недорого', 'раскрутк\\w*', 'ссылк\\w*', '我们提供', '价格优惠', '欢迎咨询', '微信', '推广',
  'ihre (webseite|website|homepage)', 'votre site( web| internet)?', 'netlinking', 'référencement', 'prix (réduits?|cassés?)', 'adressdaten', 'suchmaschinen\\w*', 'agenzia di (web )?marketing', 'proporvi', 'fichiers de prospection', 'prospection',
];

/**
 * A seller describing what *they* do for *you*: cold-outreach grammar rather than topic words, so it
 * generalises past the services named above. Counted as spam evidence. A buyer's team "will need" or "can't" do
 * things; a seller's team "can" and "will" do them for you.
 */
export const PITCH = [
  '(?<!(nobody|no one|no-one|none) (on|in|of) )our [\\w-]{0,20} ?(team|developers|engineers|agency|experts|company|firm|studio|specialists|consultants|platform|pods?) (can(?![\'’]t|not)(?![^.?!]{0,60}(ourselves|itself|in-house))|will(?! (need|want|require|have to|be using|use))|helps?|has helped|specializ\\w*|specialis\\w*|builds?|delivers?|integrates?|cuts?|lifts?)',
  '(book|set|schedule) \\d+\\+? (meetings|demos|calls|appointments)', '(meetings|demos|appointments) (a|per) month', 'would you like to (feature|list|partner|try our)',
  'how (our|we) (team )?can help you', "we(?:'?ve| have) helped \\d+", '(sponsorship|exhibitor|speaking|guest) (packages?|slots?|spots?)',
  'we (typically|usually|specializ\\w*|specialis\\w*|work with companies like|partner with companies)',
  "we'?d love to (partner|collaborate|feature|work with you|help you)", 'partner with (you|acme|your)', 'white-?label',
  '(send|share) you (our|a|some) (pricing|prices|rates|rate card|proposal|quote|portfolio|deck|case studies|catalog\\w*)',
  '(our|my) (pricing|prices|rates|rate card|packages|portfolio(?! compan)|services|catalog\\w*)',
  'who (handles|is responsible for|manages|looks after|is in charge of)', '(worth|open to|up for) an? (quick |short |brief |partnership |collaboration |intro |exploratory |15[- ]min\\w* )?(chat|call)',
  '(can|may|shall|could) i (send|share|show) (you )?', 'want (to see (how |what )?(we|our)|a free|a sample)', '(free|complimentary) (sample|consultation|mockups?|design mockups?)',
  'we (make|book|place|create|produce|design|run|build|do|offer) [\\w -]{0,40}for (saas|companies|brands|startups|businesses|teams|you)',
  '(small |production |booking |placement |our |the )?fee (of|is)', '(packages?|plans?|services?|prices?) (start(ing)? at|from|desde|à partir de|ab) ', 'no upfront (fee|cost)',
  '[$€£] ?\\d[\\d,.]*k? ?(/|per |a )(month|mo|hour|post|year|week|quarter|episode|article|mention|placement|slot|video|link|word)',
  // A seller's own price list: "from €0.06 a word", "à partir de 0,06 €", a "production contribution" to be featured. The
  // number is read whole ("from $1,250", never "from $1") and a range is no price list ("went from €900 to €1,640").
  '(starting at|from|à partir de|desde|ab|a partire da|от) ([$€£] ?\\d[\\d,.]*|\\d[\\d,.]* ?[$€£])(?![\\d,.]*( ?(to|-|–|a|à|bis|até|al|до) ?[$€£]?)?\\d)', '(production|booking|placement|listing|sponsorship|participation) (fee|contribution|package)', '(featured|sponsored|premium|paid) (listing|placement|profile|spot)', '\\d[\\d,.]* ?[€$£] ?/ ?(mes|mois|monat|month|mese)',
  'per (word|contact|lead|record|email|meeting|appointment)', 'free quote', 'price ?list', 'catalogu?e', 'moq', '(send us|share) your (strings|files?|requirements?)',
  'fraction of (the )?(in-house )?cost', '\\{\\{ *\\w+ *\\}\\}', 'sponsored (article|post|content)', 'link (insertion|exchange)', 'paypal', 'whatsapp',
  // A seller's offer made to *you*: run your campaigns, give you a demo of *their* thing, no pay unless it works.
  'we can (run|manage|handle|grow|scale|boost|double|triple|improve|optimi[sz]e|take over|redesign|rebuild|automate|write|produce) your',
  '(give|show|offer) you an? ([\\w-]+ )?(demo|tour|walkthrough)', '(demo|tour|walkthrough)\\W{0,4}of (our|my)',
  // "ChurnGuard helps SaaS companies like Acme cut churn": a seller describing what it does for companies like yours.
  '(helps|helping) ([\\w-]+ ){0,3}(companies|teams|businesses|brands|startups|founders) (like (?!ours\\b|us\\b)[\\w-]+ )?(to )?(cut|reduce|grow|increase|boost|double|triple|save|scale|improve|win|close|book|generate)', '(or|otherwise) you don[\'’]?t pay',
  '(share|percentage|cut|portion) of (the |your )?(savings|revenue|sales|profits?)', '(discuss|explore) (a|an|the|possible|potential) (partnership|collaboration)',
  // The same seller grammar in other languages: "our agency offers", "may I send you", a free audit.
  'notre (agence|équipe|société|entreprise|cabinet|studio) (propose|offre|peut|accompagne|aide)', 'puis-je vous (envoyer|proposer|montrer|présenter)', '(audit|diagnostic) gratuit',
  'unser(e)? (agentur|team|firma|unternehmen) (bietet|kann|hilft|unterstützt)', 'darf ich (ihnen|dir) ([\\w-]+ )?(senden|schicken|zeigen)', 'kostenlose[ns]? (audit|analyse|seo)',
  '(nuestra (agencia|empresa)|nuestro equipo) (ofrece|puede|ayuda)', 'puedo (enviarle|enviarte|mostrarle)', '(auditoría|análisis) gratuit[oa]',
  'nossa (agência|empresa|equipe) (oferece|pode|ajuda)', 'posso (enviar|mostrar)-?(lhe|vos|te)', 'auditoria gratuita',
  'nostra (agenzia|azienda) (offre|può|aiuta)', 'posso (inviarvi|inviarle|mandarvi|mostrarvi)',
  'nous proposons', 'nos (tarifs|services|offres)', 'wir bieten', 'unsere (preise|leistungen|dienstleistungen)', 'ofrecemos', 'nuestros (servicios|precios)',
  'oferecemos', 'nossos (serviços|preços)', 'offriamo', 'i nostri (servizi|prezzi)', 'wij bieden', 'oferujemy', 'vi erbjuder',
  // The same seller grammar in the languages that had only "we offer": nl, pl, sv, da, no, tr, ru, ja, ko, zh; and a
  // seller's offer to send *you* a quote or to help companies, in the languages above.
  'ons (bureau|team|bedrijf|kantoor) (biedt|kan|helpt|ondersteunt|levert)', 'wij (helpen|ondersteunen) (bedrijven|organisaties|u|jullie)', 'mag ik (u|je|jullie) ([\\w-]+ ){0,2}(sturen|toesturen|laten zien)', 'onze (diensten|tarieven)',
  'nasz (zespół|software house) (może|oferuje|pomaga|wspiera)', 'nasza (firma|agencja) (oferuje|może|pomaga|wspiera)', 'możemy (wesprzeć|pomóc|zaoferować)', 'czy (mogę|możemy) (przesłać|wysłać|przedstawić)', 'nasze usługi', 'body ?leasing\\w*',
  'vår (byrå|firma) (erbjuder|kan|hjälper)', 'vi( på [\\w -]{1,30})? hjälper (företag|saas-företag|er|dig)', 'får jag (skicka|visa)', 'våra tjänster',
  'vi tilbyder', 'vi tilbyr', 'vores (bureau|team|firma) (tilbyder|kan|hjælper)', 'vårt (byrå|team|firma) (tilbyr|kan|hjelper)', 'må jeg sende', 'vores ydelser', 'våre tjenester',
  '(firmamız|ajansımız|ekibimiz|şirketimiz) [\\w ]{0,40}(sunuyor|sağlıyor|yardımcı)', 'hizmetlerimiz', '(hizmeti|hizmet) (sunuyoruz|veriyoruz)', 'size (sunmak|teklif (göndermek|sunmak))',
  '(наша|мы) (компания|команда|агентство|студия) (предлагает|может|поможет)', 'наша (студия|компания|команда|агентство) (разрабатывает|создает|создаёт|делает|занимается)', 'под ключ', 'можем (предложить|помочь)', 'готовы (предложить|помочь)',
  'ご提案させて', 'お送りしてもよろしい', '代行', 'ご紹介させて', 'オフショア', 'ご支援いたします', 'ご説明させて', '弊社(サービス|の(サービス|ソリューション))',
  '드려도 될까요', '제공해 드립니다', '도와드립니다', '아웃소싱', '저희 (회사|팀)는',
  '为您提供', '我们(公司|团队)(提供|专注|可以)', '外包',
  // Outsourcing in Vietnamese ("we provide", "outsourced"), a Portuguese lead database, a German company-register listing.
  'chúng tôi cung cấp', 'thuê ngoài', 'base (com|de) [\\d.,]+ (mil )?contatos', 'amostra grátis', '(unternehmens|firmen)eintrag\\w*',
  '(nous aidons|nous accompagnons) (les|des|vos) (entreprises|startups|marques|équipes)', 'je peux vous (envoyer|proposer|présenter) (notre|nos|une (offre|proposition|présentation))',
  'wir (unterstützen|helfen) (unternehmen|firmen|ihnen|sie)', '(ayudamos|ayudamos a) (empresas|marcas|startups)', 'le (ofrecemos|enviamos)', '(ajudamos|ajudamos a) (empresas|marcas|startups)', 'gostaríamos de (oferecer|apresentar)',
  'siamo lieti di (invitarvi|proporvi|presentarvi)', 'vorremmo (proporvi|presentarvi|offrirvi)', 'il nostro team (può|offre|aiuta)',
  "possiamo (inviarvi|inviarle|mandarvi|offrirvi|proporvi|fornirvi)", "siamo un['’]?\\s?(agenzia|azienda|società|studio) (di|specializzat\\w*)",
  // A seller's "at competitive rates", in the languages a vendor writes in.
  '(at|with) competitive (rates|prices)', 'a (tariffe|prezzi) competitiv[ei]', 'a precios competitivos', '(à|a) des (tarifs|prix) compétitifs', 'zu (wettbewerbsfähigen|günstigen) preisen', 'a preços competitivos',
  // A sponsorship or exhibitor package, named by its tier.
  '(gold|silver|platinum|bronze|premium) ?-?(package|paket|pacchetto|paquete|pacote|pakket|sponsor\\w*)', 'sponsor(ing|ship)?-?(paket|pacchetto|paquete|pacote|pakket|pakiet)',
];

const FOREIGN_ACCOUNT_PRESSURE = '(' + [
  '(verifizieren|bestätigen) sie (ihr|ihre) (konto|identität|zugangsdaten|adresse|daten)', '(bezahlen|zahlen|begleichen) sie [^.\\n]{0,60}innerhalb von \\d+ (stunden|tagen)', 'konto (wird|wurde) (gesperrt|deaktiviert|eingeschränkt)',
  '(vérifiez|confirmez) votre (compte|identité)', 'compte (sera|a été) (suspendu|bloqué|désactivé)',
  '(verifique|confirme|verifica|confirma) (su|tu|sua|a sua) (cuenta|conta|identidad|identidade)', '(cuenta|conta) (será|ha sido|foi) (suspendida|bloqueada|desactivada|suspensa)',
  '(verifica|conferma) (il tuo|il suo) (account|identità)', 'account (sarà|verrà|è stato) (sospeso|bloccato|disattivato)',
  '(verifieer|bevestig) (uw|je) (account|identiteit)', 'account (wordt|is) (geblokkeerd|opgeschort)', '(zweryfikuj|potwierdź) (swoje |twoje )?(konto|tożsamość)',
  'подтвердите (ваш |свой )?(аккаунт|учетную запись|учётную запись|личность)', '(аккаунт|учетная запись|учётная запись) (будет|был) (заблокирован|приостановлен)\\w*',
  'hesab\\w* (askıya|kapatıl|doğrula)\\w*',
  '本人確認', '不正(アクセス|ログイン)', 'アカウント(は|が|を)?(停止|凍結|ロック|制限)', '(账户|帐户|賬戶|帳戶)(已|将|將)?(被)?(冻结|凍結|停用|暂停|暫停|锁定|鎖定)',
  '(验证|驗證)(您的)?(账户|帐户|賬戶|帳戶|身份)', '계정(이|을|이 )?\\s?(정지|잠금|차단|제한)', '본인\\s?(인증|확인)',
].join('|') + ')';

/** Payment or login pressure next to a link, and the other classic scams: invoice fraud, phishing, CEO fraud, legal threats. */
export const PHISHING = [
  'gift cards?', 'keep this (confidential|between us)', 'final notice', 'lawsuit', 'dmca', 'expires? in \\d+ (hours|days)', '(credentials|password) (immediately|now|at)',
  // Chat and HTML markup: people filling in a form don't type these; bots and attacks do.
  // An executable posing as a document ("PO_Request.pdf.exe").
  '[\\w-]+(\\.\\w{2,4})?\\.(exe|scr|bat|cmd|vbs|jar)',
  '<!(channel|here|everyone)>', '<https?://[^|>\\s]+\\|', '<a href',
  '(overdue|remit|unpaid|verify|suspend\\w*|confirm your|update your (payment|billing|account)|avoid (suspension|termination|removal|deletion|cancellation|disconnection)|pay (now|today|immediately|within))[\\s\\S]{0,200}https?://\\S+',
  'https?://\\S+[\\s\\S]{0,200}(overdue|remit|unpaid|verify your|suspend\\w*|confirm your (account|payment|details))',
  // Payment diversion: "our banking details have changed", "all future payments must be sent to the new account".
  '(bank|banking|payment|remittance) (details|information|account) (have|has) (changed|been (changed|updated))', '(all )?future payments (must|should|will) (be (sent|made|paid)|go) to',
  // The same diversion in other languages: "the new account", "our new IBAN", "new bank details".
  'neue[nsm]? (konto|iban|bankverbindung)', '(nouvel|nouveau) (iban|compte bancaire)', 'nouvelles coordonnées bancaires', '(nueva cuenta|nuevo iban|nuevos datos bancarios)', '(nova conta|novo iban|novos dados bancários)',
  '(nuovo (conto|iban)|nuove coordinate bancarie)', 'nieuwe? (rekening|iban|bankrekening|bankgegevens)', '(nowe konto|nowy (numer konta|rachunek))', 'новы[йе] (счет|счёт|реквизит\\w*)',
  // Login pressure next to a link in other languages: "verify your account", "your account will be suspended", 本人確認.
  `${FOREIGN_ACCOUNT_PRESSURE}[\\s\\S]{0,200}https?://\\S+`, `https?://\\S+[\\s\\S]{0,200}${FOREIGN_ACCOUNT_PRESSURE}`,
];

/** Wants to buy, trial, price or evaluate. */
export const BUYING = [
  'demo', 'pricing', 'prices?', 'quote', 'cost', 'trial', 'seats?', 'licen[cs]es?', 'purchas\\w*', 'buy', 'contract', 'proposal', 'msa',
  'enterprise', 'sso', 'saml', 'procurement', 'security review', 'rfp', 'budget', 'paid plan', 'upgrade', 'sales rep', 'shortlist',
  'evaluat\\w*', 'migrat\\w*', 'switch', 'replac\\w*', 'moving off', 'partner pricing', 'resell', 'sign', 'talk to someone', 'chat\\?',
  '\\d+ ?(users|seats|licen[cs]es|brugere|usuários|lizenzen|licencias|licenze|nutzer|utilisateurs|usuarios|utenti|gebruikers|användare|brukere|użytkownik\\w*|uživatel\\w*|kullanıcı\\w*|utilizatori|пользовател\\w*|ユーザー)', 'who (can|should) i (talk|speak) to',
  'talk to (someone|sales|you)', 'looking for an? [\\w -]{0,30}(platform|tool|solution)', 'walk us through', 'schedule a (demo|call)', 'what (would|does|will) (it|this|that) cost', 'book a', 'next steps', 'onboarding help', 'startup discount', 'how much',
  // fr, de, es, pt, it, nl, da, ja
  'démo', 'démonstration', 'devis', 'tarifs?', 'angebot', 'lizenzen', 'testen', 'was kostet', 'precios?', 'cotización', 'licencias',
  'demonstração', 'preço', 'usuários', 'preventivo', 'prezzo', 'pris', 'brugere', 'デモ', '料金', '検討',
  // pt, pl, fi, it, es, de: evaluating, quotes, trials
  'startup (plan|program|programme|pricing)', 'avaliar', 'orçamento', 'prezentacj\\w*', 'wycen\\w*', 'cennik', 'kokeilla', 'hinta\\w*', 'tarjous', 'valutare', 'provare', 'evaluar', 'presupuesto', 'kosten', 'preise', 'ersetzen',
  // The same requests (a demo, a price or quote, a trial, licences) in the other languages that reach a European SaaS
  'prix', 'essai( gratuit)?', 'preis\\w*', 'testphase', 'testversion', 'vorführung', 'demostraci\\w*', 'demonstrați\\w*', 'ofert\\w* de preț', 'prețu\\w*', 'prueba gratuita', 'probar',
  'cu[aá]nto (cuesta|costar\\w*)', 'cotaç\\w*', 'teste gratuito', 'testar', 'quanto (custa|costa|costerebbe)', 'prezzi', 'prova gratuita',
  'offerte', 'prijs\\w*', 'proefperiode', 'wat kost', 'licencj\\w*', 'okres próbny', 'ukázk\\w*', 'předveden\\w*', 'cenov\\w* nabídk\\w*',
  'zkušební', 'pris(er|et|uppgift\\w*)', 'offert', 'provperiod\\w*', 'prøveperiode', 'tilbud', 'fiyat\\w*', 'teklif\\w*', 'deneme',
  'демо\\w*', 'стоимост\\w*', 'пробн\\w*', 'лиценз\\w*', '価格', '見積', 'トライアル', '導入', '데모', '가격', '견적', '도입', '체험', '演示', '报价', '试用', '采购',
];

/**
 * Buying words that also fill sellers' pitches and small talk ("at a fraction of the cost", "quick
 * chat?"): they support a buying reading but never carry one to an automatic route on their own.
 */
export const WEAK_BUYING = new Set(['cost', 'contract', 'sign', 'budget', 'upgrade', 'switch', 'replac\\w*', 'chat\\?', 'proposal', 'talk to someone', 'next steps', 'buy', 'purchas\\w*', 'prices?', 'enterprise']);

/** An existing user's problem. */
export const SUPPORT = [
  "can'?t log ?in", 'cannot log ?in', 'log in', 'login', 'password', 'locked out', 'unlock', 'two-factor', '2fa', 'authenticator',
  'error', 'bug', 'broken', 'not working', 'stopped', 'failing', 'fails?', 'crash\\w*', 'outage', 'slowly', 'empty', 'missing', 'zero',
  'invoice', 'charged', 'charge', 'refund', 'billing', 'receipts?', 'vat', 'cancel', 'subscription', 'renewal', 'downgraded', 'restore', 'recover',
  'our (account|workspace|dashboards?|project|plan|data|reports?|invoice|renewal|trial workspace|api key)', 'my account',
  'how (do|can) (i|we)', 'where can i', 'is there a way', 'who can update', 'please help', 'help us',
  'sdk', 'api', 'export', 'integration', 'sync', 'quota', 'gdpr', 'deletion', 'documentation', 'permission', 'ownership', 'certificate', 'timezone',
  'look into', "isn'?t (sending|working|loading)", 'not (sending|loading|updating|showing)', 'updating', 'errors?', 'issue', 'expected behaviou?r',
  'by mistake', 'backup', 'lost', 'different numbers', 'reset', 'rotate', 'accidentally', 'greyed out', 'invite', 'expired', 'extend', 'gone',
  'throws', 'migration guide', 'invitations?', 'resend', "(aren'?t|isn'?t|not|never) receiv\\w*", 'downtime', 'upload', "what'?s the process",
  'backfill', 'duplicate', 'doppelte', 'beheben', 'fehler', 'erro', 'não consigo', 'problema', 'no muestra', 'unsubscribe',
  // pt, de, it, es, fr: an existing customer's problem
  'fatura', 'corrigir', 'reenviar', 'lädt nicht', 'seit dem (letzten )?update', 'löschung', 'dsgvo', 'bloccat\\w*', 'sbloccar\\w*', 'siamo clienti',
  'no podemos', 'no llega', 'invitación', 'facturas?', 'razón social', 'facture', 'ne fonctionne (pas|plus)', 'ne remonte (pas|plus)', 'connexion',
  "(aren'?t|isn'?t|not) arriving", 'ログイン', 'エラー', '不具合', '至急',
  'did something change', 'only up to', 'nothing (after|since)', 'stopped (showing|updating|tracking|arriving)',
  // An existing user's problem (an error, something not working, an invoice, a cancellation) in other languages
  'factur\\w*', 'erreur', "n'arriv\\w* (plus|pas)", 'grisé', 'abonnement', 'résili\\w*', 'mot de passe', 'rembourse\\w*',
  'funktioniert (nicht|nicht mehr)', 'rechnung\\w*', 'kündig\\w*', 'passwort', 'erstattung', 'no funciona', 'cancelar', 'suscripci\\w*', 'contraseña',
  'reembolso', 'no puedo', 'não funciona', 'assinatura', 'senha', 'errore', 'non funziona', 'fattur\\w*', 'disdire', 'abbonamento', 'rimborso',
  'non riesc\\w*', 'non riusciamo', 'foutmelding', 'werkt niet', 'factuur', 'opzeggen', 'wachtwoord', 'błąd', 'błęd\\w*', 'nie działa',
  'faktur\\w*', 'eksport\\w*', 'subskrypcj\\w*', 'hasło', 'chyb\\w*', 'nefunguje', 'heslo', 'felmeddelande', 'fungerar inte', 'lösenord',
  // An export or an HTTP error, in the languages whose support words were thin.
  'exportaci\\w*', 'exportaç\\w*', 'esportazion\\w*', 'bad gateway', 'internal server error', 'eroare\\w*', 'nu (mai )?(funcționează|putem|pot)', 'laden niet', 'sale vac[ií][ao]',
  'fejl', 'virker ikke', 'hata\\w*', 'çalışmıyor', 'abonelik\\w*', 'iptal', 'şifre', 'sorun\\w*', 'yardımcı olabilir\\w*',
  'ошибк\\w*', 'не работает', 'подписк\\w*', 'пароль', '表示され(ない|ず|ません)', '請求書', '解約', 'パスワード', 'できません',
  '오류', '에러', '로그인', '작동하지', '청구서', '해지', '비밀번호', '표시되지', '错误', '无法', '登录', '发票', '取消订阅', '密码',
];

/** Learning, reporting, studying or watching the market: no purchase now. */
export const RESEARCH = [
  'student', 'students', 'thesis', 'tesi', 'tese', 'homework', 'class project', 'case study', 'course', 'curriculum', 'bootcamp', 'academic',
  'acadêmica', 'estudiante', 'étudiant\\w*', 'studentin', 'trabajo de fin de (grado|máster)', 'tfg', 'tesis', 'mémoire', 'masterarbeit', 'bachelorarbeit', 'research', 'researcher', 'ricercatrice', 'pesquisando', 'estudante', 'university', 'journalist', 'article', 'articolo', 'piece on',
  'analyst report', 'questionnaire', 'newsletter', 'roundup', 'market research', 'vc fund', 'not a sales inquiry', 'just curious', 'curious',
  'not ready to buy', 'not looking to switch', 'no immediate purchase', "won'?t need", 'next year', 'roadmap', 'benchmark\\w*', 'learn(ing)? (about|more|how)', 'learners',
  // Investors, partners and the press: a conversation with us, not a purchase or a problem.
  'venture (capital|fund|partner)', 'portfolio compan(y|ies)', '(series [a-d]|seed|growth[- ]stage) (fund|investor)s?',
  'reseller', '(integration|technology|referral|reseller|channel) partners?(hip)?', 'partner (program|programme|sandbox|portal|tier)', 'mutual customers', 'co-marketing',
  'reporter', 'press (inquiry|enquiry|request)', '(for|in) (a|an|my|our) (story|piece|feature) (on|about)',
  // Students and theses in Chinese, Japanese and Korean.
  '論文', '论文', '논문', '研究生', '大学院生', '大學生', '大学生', '學生', '学生', '학생', '대학원생',
  'trying to understand', "what'?s the difference", 'tutorials', 'webinars\\?', 'landscape', 'category page', 'swap notes', 'free tier', 'side project', 'hobby', 'information', '情報収集', '資料',
];

/** A sender whose job is studying competitors: a rival's employee, whatever their domain or the buyer words around it. */
export const COMPETITIVE_INTEL = [
  'competitive intelligence', 'competitor intelligence', 'veille concurrentielle', 'inteligencia competitiva', 'inteligência competitiva', 'wettbewerbsbeobachtung',
];

/** Looking for a job with us. */
export const JOB_SEEKING = [
  'hiring manager', 'are you hiring', 'resume', 'cv', 'internships?', 'applying', 'apply', 'careers page', 'join your team', 'opportunities at',
  'recruiter', 'job (ad|posted|opening)', 'vacantes', 'trabajar con ustedes', 'openings',
  'job opportunit\\w*', 'my application', 'seeking (for )?(a |an |any )?(job|position|role|employment|internship|placement)', 'vacanc(y|ies)', 'seeking employment',
  'lebenslauf', 'bewerbung', 'bewerbe mich', 'candidature', 'curriculum', 'currículo', 'prácticas', 'tirocinio', 'vaga',
];

/**
 * A company's headcount as its people state it (see size.ts). Counts of analysts, PMs, engineers or seats are not
 * headcounts; a count of people or a "N-person" something is the company's only beside a word for one.
 */
export const HEADCOUNT = {
  /** Words that are a whole company's headcount on their own ("200 employees", "350 staff", "60 dipendenti"). */
  employees: [
    'employees?', 'staff', 'workers', 'ftes?', 'headcount', 'empleados', 'trabajadores', 'colaboradores', 'funcionários', 'funcionarios',
    'dipendenti', 'collaboratori', 'mitarbeiter(innen|n)?', 'mitarbeitende(n)?', 'beschäftigte(n)?', 'angestellte(n)?', 'salariés', 'employés', 'collaborateurs',
    'medewerkers', 'werknemers', 'ansatte', 'medarbejdere', 'anställda', 'työntekijää', 'pracowników', 'сотрудников',
  ],
  /** Words that count people, the company's only with a company word beside them ("a fintech with 80 people", not "team of 4 people"). */
  people: ['people', 'persons', 'personnes', 'persone', 'personas', 'pessoas', 'personen', 'mensen', 'personer', 'osób', 'человек'],
  /** "N-person …": the noun it describes decides (a "40-person startup", a "12-person ops team"). */
  compound: ['person', 'mann'],
  /** Unspaced scripts: the headcount word before the number ("従業員50名", "员工200人"). */
  unspaced: '(?:従業員|社員|员工|員工)(?:数)?[はが：:\\s約]*(\\d[\\d,]*)\\s*(?:名|人)',
};

/**
 * Any count of people the message states, the company's or not ("60-person startup", "team of 15 analysts", "for our
 * 40-person product org"): a concrete detail that corroborates a buying reading, never a company size.
 */
export const PEOPLE_COUNT = '(\\d[\\d,.]*)\\s*(\\+\\s*)?(-?person|people|employees|staff|funcionários|empleados|dipendenti|mitarbeiter|personnes|pms|analysts)';

/** Nouns for a whole company or business, in the languages above: a count beside one is the company's. */
export const COMPANY_WORDS = new Set([
  'company', 'startup', 'start-up', 'scaleup', 'scale-up', 'business', 'firm', 'agency', 'shop', 'store', 'retailer', 'brand', 'organisation', 'organization',
  'saas', 'fintech', 'insurtech', 'healthtech', 'edtech', 'proptech', 'legaltech', 'martech', 'marketplace', 'platform', 'app', 'publisher', 'bank',
  'studio', 'consultancy', 'corporation', 'e-commerce', 'ecommerce', 'nonprofit', 'non-profit', 'manufacturer',
  'entreprise', 'société', 'boîte', 'plateforme', 'agence', 'pme', 'éditeur', 'empresa', 'compañía', 'plataforma', 'agencia', 'agência', 'negocio',
  'companhia', 'azienda', 'società', 'piattaforma', 'agenzia', 'impresa', 'firma', 'unternehmen', 'plattform', 'agentur', 'bedrijf', 'organisatie',
  'virksomhed', 'företag', 'yritys', 'firmy', 'firmie',
]);

/** Parts of a company: a count beside one is a team's, not the company's ("12-person ops team", "our data team (6 people)"). */
export const TEAM_WORDS = new Set([
  'team', 'teams', 'squad', 'squads', 'department', 'departments', 'dept', 'division', 'unit', 'org', 'orgs', 'crew', 'office', 'branch', 'cohort', 'class',
  'équipe', 'équipes', 'département', 'equipo', 'equipos', 'departamento', 'equipe', 'equipes', 'squadra', 'reparto', 'dipartimento', 'abteilung',
  'afdeling', 'avdelning', 'zespół', 'zespole', 'tiimi', 'tiimissä',
]);

/** Verbs before a count that make it people someone leads or hires rather than the company ("I manage 30 staff", "hiring 20 people"). */
export const LEADS_OR_HIRES = new Set([
  'manage', 'manages', 'managing', 'lead', 'leads', 'leading', 'oversee', 'oversees', 'overseeing', 'supervise', 'supervising', 'hire', 'hiring', 'hired',
  'add', 'adding', 'onboard', 'onboarding', 'train', 'training', 'gestiono', 'dirijo', 'gerencio', 'gestisco', 'leite', 'encadre', 'betreue', 'leide',
]);

/** "for" or "by" right before a count: the people a purchase is for or a tool is used by ("licences for 200 employees"), not the company. */
export const FOR_WORDS = new Set(['for', 'by', 'pour', 'par', 'para', 'per', 'für', 'voor', 'til', 'för']);

/** "We are N people", "we have N people", "we employ N": a count of the whole company (the sender's "we"). */
export const WE_ARE = [
  "we'?re", 'we are', 'we have', "we'?ve got", 'we employ', 'employing', 'we count', 'nous sommes', 'on est', 'somos', 'siamo', 'wir sind', 'we zijn( met)?', 'vi er', 'vi är',
  'temos', 'tenemos', 'abbiamo', 'wir haben', 'nous avons', 'we hebben',
];

/** Phrases that cancel buying intent whatever else the message says ("not ready to buy"). */
export const NOT_BUYING = [
  "(we're|we are|i'm|i am) not buying", 'not ready to buy', 'no immediate purchase', 'not looking to (switch|buy)', 'not a sales inquiry', 'just curious', "won'?t need", 'not planning to buy',
];
