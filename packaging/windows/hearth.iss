; Inno Setup script for Hearth on Windows: a per-user (or all-users) installer around the
; PyInstaller bundle in dist\hearth. See packaging/README.md for the whole recipe:
;
;   iscc /DAppVersion=0.1.0 packaging\windows\hearth.iss
;
; AppVersion must be pyproject.toml's version (the recipe reads it from there).

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\hearth.iss
#endif

[Setup]
; The AppId identifies Hearth to Windows' uninstaller across versions: never change it.
AppId={{9E898FAD-1BAA-44F9-8F43-E2D1323F0528}
AppName=Hearth
AppVersion={#AppVersion}
AppVerName=Hearth {#AppVersion}
AppPublisher=The Hearth developers
AppComments=A private AI assistant that runs on your own computer
DefaultDirName={autopf}\Hearth
DefaultGroupName=Hearth
DisableProgramGroupPage=yes
; No administrator rights needed; the user may still choose an all-users install.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=hearth-{#AppVersion}-windows-x64-setup
SetupIconFile=build\icons\hearth.ico
UninstallDisplayIcon={app}\hearth.exe
UninstallDisplayName=Hearth
VersionInfoVersion={#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\hearth\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Hearth"; Filename: "{app}\hearth.exe"; Comment: "A private AI assistant"
Name: "{autodesktop}\Hearth"; Filename: "{app}\hearth.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\hearth.exe"; Description: "{cm:LaunchProgram,Hearth}"; Flags: nowait postinstall skipifsilent

; Conversations, settings and models live in the user's AppData folders; uninstalling
; leaves them, as the user's data.
