/**
 * Words and sentence patterns for generated benchmark bulletins, each as a Japanese /
 * English pair so a generated `en.md` reads as a translation of its `ja.md`. The vendor,
 * products and files are fictional (Contoso is the usual placeholder company); the
 * sentences are written for this benchmark, modelled on the register of security
 * bulletins, not taken from any.
 */

/** A Japanese / English pair. */
export type Pair = readonly [ja: string, en: string];

/** A product family and its versions, with the year each version shipped and its service packs. */
export interface ProductFamily {
  family: string;
  /** Short key used in product ids and file-name pools. */
  key: string;
  versions: ReadonlyArray<{ name: string; year: number; servicePacks: readonly string[] }>;
  /** Where its files install (vendor notation, environment variables kept). */
  folders: readonly string[];
  /** Stems of its file names. */
  stems: readonly string[];
}

export const VENDOR = 'Contoso';

export const FAMILIES: readonly ProductFamily[] = [
  {
    family: 'Contoso OS',
    key: 'os',
    versions: [
      { name: 'Contoso OS 2000', year: 1999, servicePacks: ['SP2', 'SP3', 'SP4'] },
      { name: 'Contoso OS XP', year: 2001, servicePacks: ['SP1', 'SP2', 'SP3'] },
      { name: 'Contoso OS Server 2003', year: 2003, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso OS Vista', year: 2007, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso OS Server 2008', year: 2008, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso OS 7', year: 2009, servicePacks: ['RTM', 'SP1'] },
      { name: 'Contoso OS Server 2008 R2', year: 2009, servicePacks: ['RTM', 'SP1'] },
      { name: 'Contoso OS 8', year: 2012, servicePacks: ['RTM'] },
      { name: 'Contoso OS Server 2012', year: 2012, servicePacks: ['RTM'] },
      { name: 'Contoso OS 8.1', year: 2013, servicePacks: ['RTM'] },
      { name: 'Contoso OS Server 2012 R2', year: 2013, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\System32', '%SystemRoot%\\System32\\drivers', '%SystemRoot%\\SysWOW64', '%SystemRoot%'],
    stems: ['kernelx', 'netapi', 'rpcsvc', 'spoolsv', 'lsasrv', 'gdikit', 'usrsvc', 'msxfer', 'schannel', 'tcpipx', 'smbsrv', 'dnsapi', 'oleaut', 'shellx', 'win32kx', 'cryptsv', 'mrxdav', 'fontdrv', 'atmfdx', 'ntfsx'],
  },
  {
    family: 'Contoso Mail Server',
    key: 'mail',
    versions: [
      { name: 'Contoso Mail Server 5.5', year: 1997, servicePacks: ['SP3', 'SP4'] },
      { name: 'Contoso Mail Server 2000', year: 2000, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Mail Server 2003', year: 2003, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso Mail Server 2007', year: 2006, servicePacks: ['SP1', 'SP2', 'SP3'] },
      { name: 'Contoso Mail Server 2010', year: 2009, servicePacks: ['SP1', 'SP2', 'SP3'] },
      { name: 'Contoso Mail Server 2013', year: 2012, servicePacks: ['CU2', 'CU3', 'SP1'] },
    ],
    folders: ['%EXSRVROOT%\\bin', '%EXSRVROOT%\\res', '%EXSRVROOT%\\connect\\bin', '%ProgramFiles%\\Contoso\\Mail\\bin'],
    stems: ['mailsmtp', 'storedrv', 'owaauth', 'imapsvc', 'pop3svc', 'transcat', 'mailres', 'davex', 'webmail', 'mtaproc'],
  },
  {
    family: 'Contoso Office',
    key: 'office',
    versions: [
      { name: 'Contoso Office 2000', year: 1999, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Office XP', year: 2001, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Office 2003', year: 2003, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Office 2007', year: 2006, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Office 2010', year: 2010, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso Office 2013', year: 2013, servicePacks: ['RTM', 'SP1'] },
    ],
    folders: ['%ProgramFiles%\\Contoso Office\\Office12', '%ProgramFiles%\\Contoso Office\\Office14', '%CommonProgramFiles%\\Contoso Shared\\Office12'],
    stems: ['wordcore', 'sheetcalc', 'slidesvc', 'mso', 'oartx', 'graphflt', 'txtconv', 'msptls', 'ogldraw', 'vbeui'],
  },
  {
    family: 'Contoso Web Browser',
    key: 'browser',
    versions: [
      { name: 'Contoso Web Browser 5.01', year: 1999, servicePacks: ['SP2', 'SP3', 'SP4'] },
      { name: 'Contoso Web Browser 6', year: 2001, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso Web Browser 7', year: 2006, servicePacks: ['RTM'] },
      { name: 'Contoso Web Browser 8', year: 2009, servicePacks: ['RTM'] },
      { name: 'Contoso Web Browser 9', year: 2011, servicePacks: ['RTM'] },
      { name: 'Contoso Web Browser 10', year: 2012, servicePacks: ['RTM'] },
      { name: 'Contoso Web Browser 11', year: 2013, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\System32', '%ProgramFiles%\\Contoso Browser'],
    stems: ['htmlrend', 'urlmonx', 'jscriptx', 'vbscriptx', 'browseui', 'inetcpl', 'wininetx', 'cssparse', 'vgxrend', 'iframex'],
  },
  {
    family: 'Contoso Database Server',
    key: 'db',
    versions: [
      { name: 'Contoso Database Server 7.0', year: 1998, servicePacks: ['SP3', 'SP4'] },
      { name: 'Contoso Database Server 2000', year: 2000, servicePacks: ['SP3', 'SP4'] },
      { name: 'Contoso Database Server 2005', year: 2005, servicePacks: ['SP2', 'SP3', 'SP4'] },
      { name: 'Contoso Database Server 2008', year: 2008, servicePacks: ['SP2', 'SP3'] },
      { name: 'Contoso Database Server 2012', year: 2012, servicePacks: ['RTM', 'SP1'] },
    ],
    folders: ['%ProgramFiles%\\Contoso Database Server\\Binn', '%ProgramFiles%\\Contoso Database Server\\Tools\\Binn'],
    stems: ['dbengine', 'qryproc', 'replagent', 'dbnetlib', 'sqlsrvx', 'bulkload', 'jobagent', 'fulltext'],
  },
  {
    family: 'Contoso Media Player',
    key: 'media',
    versions: [
      { name: 'Contoso Media Player 7.1', year: 2000, servicePacks: ['RTM'] },
      { name: 'Contoso Media Player 9', year: 2003, servicePacks: ['RTM'] },
      { name: 'Contoso Media Player 10', year: 2004, servicePacks: ['RTM'] },
      { name: 'Contoso Media Player 11', year: 2006, servicePacks: ['RTM'] },
      { name: 'Contoso Media Player 12', year: 2009, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\System32', '%ProgramFiles%\\Contoso Media Player'],
    stems: ['mediadec', 'wmvcore', 'asfsplit', 'quartzx', 'mp4parse', 'midifx', 'dxvidec'],
  },
  {
    family: 'Contoso Runtime',
    key: 'runtime',
    versions: [
      { name: 'Contoso Runtime 1.1', year: 2003, servicePacks: ['SP1'] },
      { name: 'Contoso Runtime 2.0', year: 2005, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso Runtime 3.5', year: 2007, servicePacks: ['RTM', 'SP1'] },
      { name: 'Contoso Runtime 4', year: 2010, servicePacks: ['RTM'] },
      { name: 'Contoso Runtime 4.5', year: 2012, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\Contoso.NET\\Framework\\v2.0.50727', '%SystemRoot%\\Contoso.NET\\Framework64\\v4.0.30319'],
    stems: ['clrcore', 'mscorlibx', 'sysweb', 'sysxml', 'wpfgfx', 'sysdata', 'jitcore', 'aspnetx'],
  },
  {
    family: 'Contoso Web Server',
    key: 'web',
    versions: [
      { name: 'Contoso Web Server 4.0', year: 1997, servicePacks: ['SP6a'] },
      { name: 'Contoso Web Server 5.0', year: 1999, servicePacks: ['RTM'] },
      { name: 'Contoso Web Server 6.0', year: 2003, servicePacks: ['RTM'] },
      { name: 'Contoso Web Server 7.0', year: 2008, servicePacks: ['RTM'] },
      { name: 'Contoso Web Server 7.5', year: 2009, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\System32\\inetsrv', '%SystemRoot%\\System32\\inetsrv\\config'],
    stems: ['httpext', 'w3core', 'ftpsvcx', 'asptx', 'ssinc', 'webdavx', 'metabase'],
  },
  {
    family: 'Contoso Directory Services',
    key: 'directory',
    versions: [
      { name: 'Contoso Directory Services 2000', year: 2000, servicePacks: ['SP3', 'SP4'] },
      { name: 'Contoso Directory Services 2003', year: 2003, servicePacks: ['SP1', 'SP2'] },
      { name: 'Contoso Directory Services 2008', year: 2008, servicePacks: ['SP2'] },
      { name: 'Contoso Directory Services 2012', year: 2012, servicePacks: ['RTM'] },
    ],
    folders: ['%SystemRoot%\\System32', '%SystemRoot%\\NTDS'],
    stems: ['ntdsa', 'kdcsvc', 'ldapcli', 'samsrvx', 'netlogx', 'dsrole'],
  },
  {
    family: 'Contoso Messenger',
    key: 'messenger',
    versions: [
      { name: 'Contoso Messenger 4.7', year: 2002, servicePacks: ['RTM'] },
      { name: 'Contoso Messenger 7.0', year: 2005, servicePacks: ['RTM'] },
      { name: 'Contoso Messenger 2009', year: 2009, servicePacks: ['RTM'] },
    ],
    folders: ['%ProgramFiles%\\Contoso Messenger'],
    stems: ['msgrapp', 'chatcore', 'rtcdll', 'voipx', 'presence'],
  },
  {
    family: 'Contoso Developer Tools',
    key: 'devtools',
    versions: [
      { name: 'Contoso Developer Tools 6.0', year: 1998, servicePacks: ['SP5', 'SP6'] },
      { name: 'Contoso Developer Tools 2003', year: 2003, servicePacks: ['RTM', 'SP1'] },
      { name: 'Contoso Developer Tools 2005', year: 2005, servicePacks: ['SP1'] },
      { name: 'Contoso Developer Tools 2008', year: 2007, servicePacks: ['SP1'] },
      { name: 'Contoso Developer Tools 2010', year: 2010, servicePacks: ['RTM', 'SP1'] },
    ],
    folders: ['%ProgramFiles%\\Contoso Developer Tools\\Common7\\IDE', '%CommonProgramFiles%\\Contoso Shared\\DevTools'],
    stems: ['atlctl', 'mfcrun', 'crtlib', 'vsdebug', 'comctlx', 'datagrid'],
  },
];

export const FILE_EXTENSIONS = ['dll', 'dll', 'dll', 'dll', 'exe', 'sys', 'ocx', 'cpl', 'mui'] as const;

export const COMPONENTS: readonly Pair[] = [
  ['印刷スプーラー', 'Print Spooler'],
  ['メール転送エージェント', 'mail transfer agent'],
  ['画像レンダリング エンジン', 'image rendering engine'],
  ['スクリプト エンジン', 'scripting engine'],
  ['ファイル共有サービス', 'file sharing service'],
  ['名前解決クライアント', 'name resolution client'],
  ['フォント パーサー', 'font parser'],
  ['ActiveX コントロール', 'ActiveX control'],
  ['認証プロバイダー', 'authentication provider'],
  ['リモート プロシージャ コール (RPC) サービス', 'Remote Procedure Call (RPC) service'],
  ['XML パーサー', 'XML parser'],
  ['カーネル モード ドライバー', 'kernel-mode driver'],
  ['ヘルプとサポート センター', 'Help and Support Center'],
  ['メディア デコーダー', 'media decoder'],
  ['Web 発行拡張機能', 'web publishing extension'],
  ['ディレクトリ同期サービス', 'directory synchronisation service'],
  ['圧縮フォルダー ハンドラー', 'compressed folder handler'],
  ['証明書検証ライブラリ', 'certificate validation library'],
  ['データベース クエリ プロセッサ', 'database query processor'],
  ['文書変換フィルター', 'document conversion filter'],
  ['ショートカット ファイル ハンドラー', 'shortcut file handler'],
  ['TCP/IP スタック', 'TCP/IP stack'],
  ['テキスト入力サービス', 'text input service'],
  ['リモート デスクトップ プロトコル', 'Remote Desktop Protocol'],
];

export const VECTORS: readonly Pair[] = [
  ['細工された電子メール メッセージ', 'a specially crafted e-mail message'],
  ['細工された Web ページ', 'a specially crafted web page'],
  ['細工されたネットワーク パケット', 'a specially crafted network packet'],
  ['細工された文書ファイル', 'a specially crafted document'],
  ['細工された画像ファイル', 'a specially crafted image file'],
  ['悪意のあるスクリプト', 'a malicious script'],
  ['細工された RPC 要求', 'a specially crafted RPC request'],
  ['細工されたフォント ファイル', 'a specially crafted font file'],
  ['細工されたメディア ファイル', 'a specially crafted media file'],
  ['細工されたショートカット', 'a specially crafted shortcut'],
];

/** Impact labels by the model's `impact` value: [ja noun phrase, en noun phrase]. */
export const IMPACT_TEXT: Record<string, Pair> = {
  'remote-code-execution': ['リモートでコードが実行される', 'remote code execution'],
  'elevation-of-privilege': ['特権が昇格される', 'elevation of privilege'],
  'denial-of-service': ['サービス拒否が起こる', 'denial of service'],
  'information-disclosure': ['情報漏えいが起こる', 'information disclosure'],
  spoofing: ['なりすましが行われる', 'spoofing'],
  tampering: ['改ざんが行われる', 'tampering'],
  'security-feature-bypass': ['セキュリティ機能のバイパスが起こる', 'security feature bypass'],
};

/** Real bulletins' impact mix is dominated by code execution; weights follow that order. */
export const IMPACT_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['remote-code-execution', 55],
  ['elevation-of-privilege', 17],
  ['denial-of-service', 10],
  ['information-disclosure', 10],
  ['security-feature-bypass', 4],
  ['spoofing', 3],
  ['tampering', 1],
];

export const SEVERITY_WEIGHTS: ReadonlyArray<readonly [string, number]> = [
  ['critical', 45],
  ['important', 40],
  ['moderate', 12],
  ['low', 3],
];

export const ACTIONS: Record<string, Pair> = {
  critical: ['更新プログラムを直ちに適用してください。', 'Apply the update immediately.'],
  important: ['できるだけ早く更新プログラムを適用してください。', 'Apply the update as soon as possible.'],
  moderate: ['次回の定期メンテナンスで更新プログラムを適用してください。', 'Apply the update in your next maintenance window.'],
  low: ['更新プログラムの適用を検討してください。', 'Consider applying the update.'],
};

export const SECTION_HEADINGS: readonly Pair[] = [
  ['概要', 'Overview'],
  ['影響を受けるソフトウェア', 'Affected software'],
  ['脆弱性の情報', 'Vulnerability information'],
  ['緩和策', 'Mitigating factors'],
  ['回避策', 'Workarounds'],
  ['よく寄せられる質問', 'Frequently asked questions'],
  ['更新プログラムに関する情報', 'Update information'],
  ['展開に関する情報', 'Deployment information'],
  ['インストールの確認', 'Verifying the installation'],
  ['削除に関する情報', 'Removal information'],
  ['既知の問題', 'Known issues'],
  ['検出と展開のツール', 'Detection and deployment tools'],
  ['セットアップ スイッチ', 'Setup switches'],
  ['再起動の必要性', 'Restart requirement'],
  ['謝辞', 'Acknowledgments'],
  ['関連情報', 'Other information'],
];

/**
 * Sentence patterns. Slots: {product} {component} {vector} {impact} {file} {folder} {cve}
 * {kb} {port} {service} {setting}. Each pair says the same thing in both languages.
 */
export const SENTENCES: readonly Pair[] = [
  ['{component}が{vector}を処理する方法に脆弱性が存在します。', 'A vulnerability exists in the way the {component} handles {vector}.'],
  ['攻撃者がこの脆弱性を悪用した場合、{impact}可能性があります。', 'An attacker who exploits this vulnerability could cause {impact}.'],
  ['この更新プログラムは、{component} が入力を検証する方法を修正することにより、脆弱性を解決します。', 'The update resolves the vulnerability by correcting how the {component} validates input.'],
  ['{product} の既定の構成では、この脆弱性の影響を受けるサービスは有効になっていません。', 'In the default configuration of {product}, the affected service is not enabled.'],
  ['攻撃者は、ユーザーに{vector}を開かせる必要があります。', 'An attacker would have to persuade a user to open {vector}.'],
  ['この脆弱性は {cve} として公開されています。', 'This vulnerability has been assigned {cve}.'],
  ['更新プログラムを適用した後、{file} のバージョンが一覧と一致することを確認してください。', 'After installing the update, check that the version of {file} matches the list.'],
  ['{folder} にあるファイルが置き換えられます。', 'Files in {folder} are replaced.'],
  ['ファイアウォールで TCP ポート {port} を遮断すると、組織外からの攻撃を防ぐことができます。', 'Blocking TCP port {port} at the firewall helps protect against attacks from outside the organisation.'],
  ['{service} サービスを無効にすると、攻撃の経路を減らすことができますが、その機能は使えなくなります。', 'Disabling the {service} service reduces the attack surface, but the feature stops working.'],
  ['詳細については、サポート技術情報 {kb} を参照してください。', 'For details, see Knowledge Base article {kb}.'],
  ['ユーザーの権限が低く設定されている場合、影響は小さくなります。', 'Users whose accounts have fewer rights on the system are less affected.'],
  ['この脆弱性が悪用されたという報告は、このセキュリティ情報の公開時点では受けていません。', 'When this bulletin was published, no reports had been received that this vulnerability was being exploited.'],
  ['この更新プログラムは、以前に公開された更新プログラムを置き換えます。', 'This update replaces a previously released update.'],
  ['インストール後にシステムの再起動が必要になる場合があります。', 'A restart may be required after installation.'],
  ['{setting} の設定を変更すると、この脆弱性の悪用を防ぐことができます。', 'Changing the {setting} setting prevents the vulnerability from being exploited.'],
  ['管理者は、自動更新を有効にしておくことをお勧めします。', 'We recommend that administrators keep automatic updates enabled.'],
  ['インターネットに接続されたサーバーでは、特に早急な適用が必要です。', 'Servers that face the Internet need the update most urgently.'],
  ['攻撃者は、認証なしでこの脆弱性を悪用できる可能性があります。', 'An attacker could exploit this vulnerability without authenticating.'],
  ['この問題は、{product} のすべてのサポートされているエディションに影響します。', 'The issue affects every supported edition of {product}.'],
  ['更新プログラムの削除には、コントロール パネルの [プログラムの追加と削除] を使用します。', 'To remove the update, use Add or Remove Programs in Control Panel.'],
  ['{file} を手動で置き換えることはサポートされていません。', 'Replacing {file} by hand is not supported.'],
  ['展開の前に、テスト環境で動作を確認することをお勧めします。', 'We recommend trying the update in a test environment before rolling it out.'],
  ['回避策を適用した場合でも、できるだけ早く更新プログラムをインストールしてください。', 'Even with a workaround in place, install the update as soon as you can.'],
  ['攻撃が成功すると、攻撃者はプログラムのインストール、データの表示、変更、削除を行う可能性があります。', 'An attacker who succeeded could install programs and view, change or delete data.'],
  ['この脆弱性は責任ある公開によって報告されました。', 'The vulnerability was reported through responsible disclosure.'],
  ['イントラネット上のコンピューターも攻撃の対象になる場合があります。', 'Computers on the intranet may also be targeted.'],
  ['この更新プログラムは、{product} の最新のサービス パックが適用されたシステムにインストールできます。', 'The update installs on systems running the latest service pack of {product}.'],
  ['{component}はメモリ内のオブジェクトを正しく解放しないため、メモリが破損する可能性があります。', 'The {component} does not free objects in memory correctly, which can corrupt memory.'],
  ['電子メールの閲覧をテキスト形式に限定すると、攻撃の可能性を減らすことができます。', 'Reading e-mail in plain text reduces the chance of an attack.'],
  ['影響を受けるコンピューターを特定するには、検出ツールを使用してください。', 'Use the detection tool to find the computers that are affected.'],
  ['ログを確認し、異常な接続がないかを調べてください。', 'Review the logs for unusual connections.'],
];

export const FAQ: readonly Pair[] = [
  ['この脆弱性の範囲は?', 'What is the scope of the vulnerability?'],
  ['この脆弱性の原因は何ですか?', 'What causes the vulnerability?'],
  ['攻撃者はこの脆弱性を悪用して何を行う可能性がありますか?', 'What might an attacker use the vulnerability to do?'],
  ['どのようなシステムが主な危険にさらされますか?', 'Which systems are primarily at risk?'],
  ['更新プログラムはどのような修正を行いますか?', 'What does the update do?'],
  ['この更新プログラムをインストールした後、再起動が必要ですか?', 'Do I need to restart after installing the update?'],
];

export const SERVICES: readonly string[] = ['Server', 'Workstation', 'Remote Registry', 'WebClient', 'Print Spooler', 'Telnet', 'SNMP', 'Messenger', 'Task Scheduler', 'SMTP'];
export const SETTINGS: readonly string[] = ['EnableHttp11', 'DisableScriptDebugger', 'AllowRemoteRPC', 'SafeDllSearchMode', 'RestrictAnonymous', 'EnableActiveScripting', 'MaxRequestBytes'];
export const PORTS: readonly number[] = [25, 80, 135, 137, 139, 389, 443, 445, 593, 1433, 3389];
export const SWITCHES: ReadonlyArray<readonly [string, string, string]> = [
  ['/help', 'コマンド ライン オプションを表示します。', 'Shows the command-line options.'],
  ['/quiet', 'ユーザー操作なしでインストールします。', 'Installs without user interaction.'],
  ['/passive', '進行状況だけを表示します。', 'Shows progress only.'],
  ['/norestart', 'インストール後に再起動しません。', 'Does not restart after installation.'],
  ['/forcerestart', 'インストール後に再起動します。', 'Restarts after installation.'],
  ['/log:path', 'ログ ファイルの出力先を指定します。', 'Writes the log file to the given path.'],
  ['/extract', 'インストールせずにファイルを展開します。', 'Extracts the files without installing.'],
  ['/overwriteoem', 'OEM ファイルを確認なしで上書きします。', 'Overwrites OEM files without asking.'],
];
