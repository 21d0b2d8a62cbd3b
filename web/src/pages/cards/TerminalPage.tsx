// 终端模拟器 Terminal simulator (public, no login): a bus gate, library door or hospital counter that
// loads the published JWKS and revocation snapshot once, then verifies scanned e-card codes in the
// browser with the very verifier module the `shebao ecard verify` command uses — no server call per scan.
import { Alert, Button, Card, Descriptions, Input, Radio, Space, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import {
  emptyState,
  parseState,
  verifyEcardToken,
  type RevocationSnapshot,
  type VerifierState,
  type VerifyResult,
} from '../../../../src/cards/ecard-verifier.ts';
import type { Answer } from '../../api.ts';
import { useI18n, type MessageKey } from '../../i18n/index.tsx';
import { formatDateTime } from '../../format.ts';
import { useRegionName } from '../../components/registry.tsx';

type Kind = 'bus' | 'library' | 'hospital';
const KINDS: Kind[] = ['bus', 'library', 'hospital'];
type Jwks = Answer<'/api/v1/ecard/jwks'>;

/** A refusal (an error body, a proxy's page) is not keys: it was read as keys and the page went blank. */
async function fetchJson<T>(path: string): Promise<T> {
  const res = await fetch(path);
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

const stateKey = (k: Kind) => `shebao.terminal.${k}.seen`;
function loadState(k: Kind): VerifierState {
  return parseState(window.localStorage.getItem(stateKey(k)));
}

export function TerminalPage() {
  const { t, lang, setLang } = useI18n();
  const regionName = useRegionName();
  const [kind, setKind] = useState<Kind>('bus');
  const [jwks, setJwks] = useState<Jwks | null>(null);
  const [snapshot, setSnapshot] = useState<RevocationSnapshot | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [token, setToken] = useState('');
  const [result, setResult] = useState<VerifyResult | null>(null);

  const loadKeys = useCallback(async () => {
    setLoadFailed(false);
    try {
      const [k, r] = await Promise.all([
        fetchJson<Jwks>('/api/v1/ecard/jwks'),
        fetchJson<RevocationSnapshot>('/api/v1/ecard/revoked'),
      ]);
      setJwks(k);
      setSnapshot(r);
    } catch {
      // the keys and snapshot it had (if any) stay: a terminal goes on verifying with them
      setLoadFailed(true);
    }
  }, []);
  useEffect(() => {
    void loadKeys();
  }, [loadKeys]);

  const scan = async () => {
    if (!jwks) return;
    const state = loadState(kind);
    const r = await verifyEcardToken(token, { jwks, revoked: snapshot, state });
    window.localStorage.setItem(stateKey(kind), JSON.stringify(state));
    setResult(r);
  };

  return (
    <div style={{ maxWidth: 760, margin: '24px auto', padding: '0 16px' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('page.terminal')}
        </Typography.Title>
        <Button size="small" onClick={() => setLang(lang === 'zh-CN' ? 'en' : 'zh-CN')}>
          {lang === 'zh-CN' ? 'English' : '中文'}
        </Button>
      </Space>
      <Typography.Paragraph type="secondary">{t('terminal.intro')}</Typography.Paragraph>
      <Card title={t('terminal.setup')} style={{ marginBottom: 16 }}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Radio.Group
            value={kind}
            onChange={(e) => {
              setKind(e.target.value as Kind);
              setResult(null);
            }}
            optionType="button"
            options={KINDS.map((k) => ({ value: k, label: t(`terminal.kind.${k}` as MessageKey) }))}
          />
          {loadFailed ? <Alert type="error" showIcon title={t('terminal.loadError')} /> : null}
          <Descriptions size="small" column={1}>
            <Descriptions.Item label={t('terminal.keys')}>
              <span data-testid="terminal-keys">{jwks ? jwks.keys.map((k) => k.kid).join(', ') : '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('terminal.snapshot')}>
              {snapshot
                ? t('terminal.snapshot.value', {
                    count: snapshot.refs.length,
                    at: formatDateTime(snapshot.generatedAt, lang, 'seconds'),
                  })
                : '—'}
            </Descriptions.Item>
          </Descriptions>
          {/* wrapping: in English the two buttons made the page 536 px wide on a phone */}
          <Space wrap>
            <Button onClick={() => void loadKeys()}>{t('terminal.reload')}</Button>
            <Button
              onClick={() => {
                window.localStorage.setItem(stateKey(kind), JSON.stringify(emptyState()));
                setResult(null);
              }}
            >
              {t('terminal.forget')}
            </Button>
          </Space>
        </Space>
      </Card>
      <Card title={t('terminal.scan')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Input.TextArea
            rows={4}
            value={token}
            onChange={(e) => setToken(e.target.value)}
            placeholder={t('terminal.paste')}
            aria-label={t('terminal.paste')}
            data-testid="terminal-token"
          />
          <Button type="primary" disabled={!jwks || token.trim() === ''} onClick={() => void scan()}>
            {t('terminal.verify')}
          </Button>
          {result ? (
            result.ok ? (
              <Alert
                type="success"
                showIcon
                data-testid="terminal-result"
                message={
                  <span>
                    {t('terminal.accepted')} <Tag color="green">{t('terminal.acceptedTag')}</Tag>
                  </span>
                }
                description={t('terminal.accepted.detail', {
                  region: regionName(result.region),
                  ref: `${result.ref.slice(0, 6)}…`,
                  kid: result.kid,
                })}
              />
            ) : (
              <Alert
                type="error"
                showIcon
                data-testid="terminal-result"
                message={
                  <span>
                    {t('terminal.refused')}{' '}
                    <Tag color="red">{t(`terminal.reasonTag.${result.reason}` as MessageKey)}</Tag>
                  </span>
                }
                description={t(`terminal.reason.${result.reason}` as MessageKey)}
              />
            )
          ) : null}
        </Space>
      </Card>
    </div>
  );
}
