; Inno Setup 6 script: Lumbung-Setup-<version>.exe from the PyInstaller bundle dist\Lumbung.
;
;   iscc /DAppVersion=0.1.0 /DSourceDir=..\..\dist\Lumbung /DOutputDir=..\..\dist installer\windows\lumbung.iss
;
; build.ps1 passes the three defines; without them the version is read from lumbung.exe.
;
; Per-user install, no administrator rights: %LOCALAPPDATA%\Programs\Lumbung.
; The books and backups live in %LOCALAPPDATA%\Lumbung (platformdirs' user data folder),
; never in the program folder: installing a newer version over an older one, or
; uninstalling, never touches them. The first start of a newer version upgrades the
; book after making a copy of it (lumbung.sebelum-<revision>-<time>.sqlite beside it).

#ifndef SourceDir
  #define SourceDir "..\..\dist\Lumbung"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef AppVersion
  #define AppVersion GetVersionNumbersString(AddBackslash(SourceDir) + "lumbung.exe")
#endif

#define AppName "Lumbung"
#define AppExe "lumbung.exe"

[Setup]
; Never change AppId: it is how a newer installer finds (and replaces) the older one.
AppId={{6A0F3C2E-5B7D-4E31-9C8A-2F4D1B7E9A51}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Lumbung
AppComments=Pembukuan koperasi desa
VersionInfoVersion={#AppVersion}
VersionInfoDescription=Pemasang {#AppName}
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=yes
PrivilegesRequired=lowest
UsedUserAreasWarning=no
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=Lumbung-Setup-{#AppVersion}
SetupIconFile=..\..\resources\icons\lumbung.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running Lumbung holds files in {app}: ask it to close (Restart Manager), do not restart it.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; Inno Setup ships no Indonesian wizard text. Put the community translation
; Indonesian.isl (jrsoftware.org, "Inno Setup Translations") beside this script or in
; Inno Setup's Languages folder to get an Indonesian wizard; without it the wizard is
; in English. The messages below that matter for the books are in both languages.
#if FileExists(AddBackslash(SourcePath) + "Indonesian.isl")
Name: "id"; MessagesFile: "Indonesian.isl"
#elif FileExists(AddBackslash(CompilerPath) + "Languages\Indonesian.isl")
Name: "id"; MessagesFile: "compiler:Languages\Indonesian.isl"
#endif
Name: "en"; MessagesFile: "compiler:Default.isl"

[Messages]
ConfirmUninstall=Hapus program %1 dari komputer ini?%n%nBuku dan cadangannya TIDAK ikut dihapus. Semuanya tetap ada di folder data:%nC:\Users\<nama pengguna>\AppData\Local\Lumbung%nJika Lumbung dipasang lagi, buku itu terbuka kembali.%n%n(English: remove %1? Your books and backups are NOT removed; they stay in AppData\Local\Lumbung.)
UninstalledAll=Program %1 sudah dihapus. Buku dan cadangannya tetap ada di C:\Users\<nama pengguna>\AppData\Local\Lumbung.%n%n(English: %1 was removed; your books and backups are still in AppData\Local\Lumbung.)

[CustomMessages]
DesktopIcon=Pintasan di &Desktop (desktop shortcut)
LaunchAfter=Jalankan Lumbung sekarang (start Lumbung now)

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[InstallDelete]
; A newer version replaces the whole bundle: no file of the older one may linger.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Comment: "Pembukuan koperasi desa"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchAfter}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Only the program folder. Never {localappdata}\Lumbung: the books and backups are there.
Type: filesandordirs; Name: "{app}\_internal"
Type: dirifempty; Name: "{app}"
