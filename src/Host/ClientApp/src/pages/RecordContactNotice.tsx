// Account applications (forms account-platform, account-database-ftp): the bureau's issue step shows the contact the
// form gives beside the one the organisation tables hold (recordContact, filled by the platform) and highlights a
// difference (contactDiffers), which the approver must confirm in the form's 联系方式核实 before issuing.
import { Alert, Descriptions, Typography } from 'antd';

const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value : '—');

export function RecordContactNotice({ form }: { form: Record<string, unknown> }) {
  const record = form.recordContact;
  if (typeof record !== 'string' || !record) return null;
  const differs = form.contactDiffers === true;
  const person = form.applicantName ?? form.integrationOwner;
  return (
    <Alert type={differs ? 'warning' : 'success'} showIcon style={{ marginBottom: 12 }} data-testid="record-contact" data-differs={differs}
      message={differs ? '申请表联系方式与组织机构登记信息不一致，请核实' : '申请表联系方式与组织机构登记信息一致'}
      description={<>
        <Descriptions size="small" column={1} bordered>
          <Descriptions.Item label="申请表联系方式">{`${text(person)}，手机 ${text(form.phone)}，邮箱 ${text(form.email)}`}</Descriptions.Item>
          <Descriptions.Item label="组织机构登记">
            <Typography.Text style={{ whiteSpace: 'pre-line' }}>{record}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {differs && <Typography.Paragraph type="warning" style={{ margin: '8px 0 0' }}>
          账号信息将发至申请表中的邮箱和手机。请先向登记的联系人电话核实申请表联系人；核实无误的，在“联系方式核实”中选择确认后办理，无法核实的请退回申请人补正。
        </Typography.Paragraph>}
      </>} />
  );
}
